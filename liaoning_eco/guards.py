"""Requests refused at the door, before any view: a NUL character anywhere a person can type (the path, the query
string, a submitted form). PostgreSQL cannot hold NUL in text, so a lookup with one fails deep inside a query as a
server error; here it is a 400 that says why."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def carries_nul(request) -> bool:
    if NUL in request.path or NUL in request.META.get("QUERY_STRING", "") or _has_nul(request.GET):
        return True
    return request.method == "POST" and request.content_type in FORMS and _has_nul(request.POST)


def _has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            message = _("请求中含有空字符（NUL），无法处理。")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
