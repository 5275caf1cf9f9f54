"""Being written: every view here is replaced by the helper that owns this module."""

from django.http import Http404


def received(request, **kwargs):  # STUB
    raise Http404


def made(request, **kwargs):  # STUB
    raise Http404


def new_request(request, **kwargs):  # STUB
    raise Http404


def request_detail(request, **kwargs):  # STUB
    raise Http404


def answer(request, **kwargs):  # STUB
    raise Http404


def add_information(request, **kwargs):  # STUB
    raise Http404


def withdraw(request, **kwargs):  # STUB
    raise Http404
