"""REST API for reports, under /api/reports/: ask for one (202; built at once or by a worker), poll it, download it."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from .models import GeneratedReport
from .scope import ScopeError, parse_scope
from .services import open_report, reports_visible_to, request_report


class ReportSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedReport
        fields = [
            "id", "requested_by", "requested_at", "door", "parameters", "scope_label", "format", "status",
            "status_display", "progress", "progress_note", "snapshot_id", "sha256", "size", "rows", "finished_at",
            "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, report) -> str | None:
        if not report.is_ready:
            return None
        return reverse("report-download", args=[report.pk], request=self.context.get("request"))


class ReportRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    format = serializers.ChoiceField(choices=GeneratedReport.Format.values)
    area = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="区划代码; empty: the province"
    )
    department = serializers.CharField(required=False, allow_blank=True, default="")
    lead_only = serializers.BooleanField(required=False, default=False)
    section = serializers.CharField(required=False, allow_blank=True, default="")
    special_column = serializers.IntegerField(required=False, allow_null=True, default=None)


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_converter = "int"  # /…/abc/ is not a route: 404, never a query with "abc"
    serializer_class = ReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular describing the API: no user
            return GeneratedReport.objects.none()
        return reports_visible_to(self.request.user)

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportSerializer})
    def create(self, request):
        incoming = ReportRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        fmt = data.pop("format")
        try:
            scope = parse_scope(**data, user=request.user)
        except ScopeError as error:
            raise ValidationError({"detail": str(error)}) from error
        report = request_report(scope=scope, fmt=fmt, user=request.user, door=GeneratedReport.Door.API, request=request)
        return Response(ReportSerializer(report, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = get_object_or_404(self.get_queryset(), pk=pk)
        if not report.is_ready:
            return Response({"detail": "报告尚未生成完毕。"}, status=status.HTTP_409_CONFLICT)
        handle = open_report(report, user=request.user, request=request)
        return FileResponse(handle, as_attachment=True, filename=report.download_name, content_type=report.content_type)
