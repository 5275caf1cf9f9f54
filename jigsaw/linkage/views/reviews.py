"""STUB"""

from django.http import Http404


def queue(request, **kwargs):  # STUB
    raise Http404


def review(request, **kwargs):  # STUB
    raise Http404
