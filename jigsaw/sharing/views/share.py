"""Being written: every view here is replaced by the helper that owns this module."""

from django.http import Http404


def choose_entries(request, **kwargs):  # STUB
    raise Http404


def decision_form(request, **kwargs):  # STUB
    raise Http404


def preview(request, **kwargs):  # STUB
    raise Http404


def check_answers(request, **kwargs):  # STUB
    raise Http404


def discard(request, **kwargs):  # STUB
    raise Http404


def sent(request, **kwargs):  # STUB
    raise Http404


def disclosure(request, **kwargs):  # STUB
    raise Http404


def chase(request, **kwargs):  # STUB
    raise Http404


def send_update(request, **kwargs):  # STUB
    raise Http404


def disclosure_pdf(request, **kwargs):  # STUB
    raise Http404


def decisions(request, **kwargs):  # STUB
    raise Http404


def decision(request, **kwargs):  # STUB
    raise Http404
