"""Being written: every view here is replaced by the helper that owns this module."""

from django.http import Http404


def inbox(request, **kwargs):  # STUB
    raise Http404


def received(request, **kwargs):  # STUB
    raise Http404


def acknowledge(request, **kwargs):  # STUB
    raise Http404


def save_to_chronology(request, **kwargs):  # STUB
    raise Http404


def received_pdf(request, **kwargs):  # STUB
    raise Http404
