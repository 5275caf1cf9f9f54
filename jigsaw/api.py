"""The JSON API at /api/v1 for systems, with OpenAPI docs at /api/v1/docs."""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from jigsaw.accounts.api_auth import ApiKeyAuth
from jigsaw.chronology.api import router as chronology_router
from jigsaw.people.api import router as people_router
from jigsaw.sharing.api import router as sharing_router

api = NinjaAPI(
    title="Jigsaw API",
    version="1",
    urls_namespace="api",
    description="Multi-agency safeguarding information sharing. Every call needs an "
    "organisation's API key and is recorded in the access ledger.",
    auth=ApiKeyAuth(),
)
api.add_router("/people", people_router)
api.add_router("", chronology_router)
api.add_router("", sharing_router)


@api.exception_handler(ValidationError)
def validation_errors(request, exc):
    return api.create_response(request, {"detail": "Invalid input", "errors": exc.errors}, status=422)


@api.exception_handler(DjangoValidationError)
def model_validation_errors(request, exc):
    errors = [{"loc": ["body", field], "msg": " ".join(messages)}
              for field, messages in exc.message_dict.items()]
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    return api.create_response(request, {"detail": "A valid API key is needed"}, status=401)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return api.create_response(request, {"detail": "The request body is too large"}, status=413)
