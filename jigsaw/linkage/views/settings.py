"""STUB"""

from django.http import Http404


def linkage_settings(request, **kwargs):  # STUB
    raise Http404
