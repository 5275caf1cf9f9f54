"""Being written: every view here is replaced by the helper that owns this module."""

from django.http import Http404


def ask_advice(request, **kwargs):  # STUB
    raise Http404


def advice_list(request, **kwargs):  # STUB
    raise Http404


def advice(request, **kwargs):  # STUB
    raise Http404


def respond_to_triage_prompt(request, **kwargs):  # STUB
    raise Http404


def respond_to_alert_prompt(request, **kwargs):  # STUB
    raise Http404
