"""Being written: every view here is replaced by the helper that owns this module."""

from django.http import Http404


def agreements(request, **kwargs):  # STUB
    raise Http404


def add_agreement(request, **kwargs):  # STUB
    raise Http404


def agreement(request, **kwargs):  # STUB
    raise Http404


def edit_agreement(request, **kwargs):  # STUB
    raise Http404


def document(request, **kwargs):  # STUB
    raise Http404


def sharing_settings(request, **kwargs):  # STUB
    raise Http404
