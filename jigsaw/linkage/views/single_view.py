"""STUB"""

from django.http import Http404


def single_view(request, **kwargs):  # STUB
    raise Http404


def links(request, **kwargs):  # STUB
    raise Http404
