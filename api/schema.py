"""The answers every operation may give besides its own, written into the OpenAPI schema so that a client (and the
schema tests) can rely on their shape: 400 field errors, 401 with WWW-Authenticate, 403, 404, 429."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FIELD_ERRORS = {
    "type": "object",
    "description": "字段错误：每个出错的参数或字段一个列表（non_field_errors 为整体错误）。",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ANSWERS = {
    "400": ("参数或字段有误", "FieldErrors"),
    "401": ("未提供凭据或凭据无效（响应头 WWW-Authenticate 给出认证方式）", "Error"),
    "403": ("无权访问（如市级填报员访问其他城市的数据）", "Error"),
    "404": ("不存在或无权查看", "Error"),
    "429": ("请求过于频繁，或登录失败次数过多被锁定（响应头 Retry-After 给出等待秒数）", "Error"),
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the shared error answers to every operation that can give them."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"], schemas["FieldErrors"] = ERROR, FIELD_ERRORS
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            codes = ["401", "403", "429"]
            if "{" in path:
                codes.append("404")
            if operation.get("parameters") or operation.get("requestBody"):
                codes.append("400")  # a bad parameter or field, or a NUL character in any of them
            for code in codes:
                description, schema = ANSWERS[code]
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                    },
                )
    return result


class LockableBasicScheme(OpenApiAuthenticationExtension):
    """HTTP Basic in the schema for the lockable subclass (drf-spectacular matches the exact class)."""

    target_class = "api.authentication.LockableBasicAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic"}
