"""Sign-ins, failed sign-ins and sign-outs, from Django's own authentication signals."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import Kind
from .services import record


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    record(Kind.SIGN_IN, f"{user.get_username()} 登录成功", actor=user, request=request)


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.SIGN_OUT, f"{user.get_username()} 退出登录", actor=user, request=request)


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the name typed is kept.
    username = str(credentials.get("username", ""))[:150]
    record(
        Kind.SIGN_IN_FAILED,
        f"以用户名“{username}”登录失败",
        actor_name=username,
        request=request,
        after={"username": username},
    )
