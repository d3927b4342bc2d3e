"""What django-axes needs from this site: the client's address (behind the TLS proxy) and the answer to a locked-out
sign-in, a Chinese page on the login form and the admin, JSON on the API."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_address(request) -> str:
    """REMOTE_ADDR, or behind settings.TRUSTED_PROXY_HOPS proxies the address the outermost of them saw (read from
    the right of X-Forwarded-For, which a client cannot forge, as DRF's throttling reads it)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-min(hops, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _("登录失败次数过多，该账户或当前地址已被锁定 %(minutes)d 分钟。请稍后再试，或联系系统管理员解锁。") % {
        "minutes": lockout_minutes()
    }


def lockout_response(request, original_response=None, credentials=None):
    """Status 429 with a Retry-After; the login page says why in Chinese, with the form but no way past it."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        username = (credentials or {}).get("username", "")
        form = AuthenticationForm(request, initial={"username": username})
        context = {"form": form, "locked_out": lockout_message(), "next": request.POST.get("next", "")}
        response = render(request, "accounts/login.html", context, status=429)
    response["Retry-After"] = retry_after
    return response
