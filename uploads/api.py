"""REST API for uploads: the same service as the web page, for scripts and other systems."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from indicators.models import Area

from .handlers import too_large_message
from .models import Upload
from .selectors import uploads_visible_to
from .services import UploadRefused, confirm_upload, receive_upload


class UploadSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # none: a long-format file
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Upload
        fields = [
            "id",
            "area",
            "year",
            "quarter",
            "kind",
            "source",
            "original_name",
            "size",
            "sha256",
            "uploaded_by",
            "created_at",
            "dry_run",
            "status",
            "status_display",
            "status_note",
            "started_at",
            "finished_at",
            "confirmed_at",
            "duplicate_of",
            "rows_total",
            "rows_new",
            "rows_changed",
            "rows_unchanged",
            "changes",
            "errors",
            "warnings",
        ]
        read_only_fields = fields


class UploadCreateSerializer(serializers.Serializer):
    file = serializers.FileField()
    area = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.all(),
        required=False,
        allow_null=True,
        help_text="区划代码; omit for a provincial long-format file",
    )
    year = serializers.IntegerField(required=False, allow_null=True, min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=4)
    dry_run = serializers.BooleanField(default=False, help_text="只校验并给出导入摘要，确认后才写入")

    def validate(self, data):
        """A quarterly template names its area, year and quarter together; a long-format file names none of them."""
        given = {name for name in ("area", "year", "quarter") if data.get(name) is not None}
        if given and given != {"area", "year", "quarter"}:
            message = "季度填报模板须同时填写地区、年份和季度；多地区长表三者都不填。"
            raise serializers.ValidationError({name: [message] for name in {"area", "year", "quarter"} - given})
        return data


class UploadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = UploadSerializer
    parser_classes = [MultiPartParser, FormParser]
    lookup_value_converter = "int"  # /api/uploads/abc/ is not a route: 404, never a query with "abc"

    def get_queryset(self):
        return uploads_visible_to(self.request.user)

    @extend_schema(request=UploadCreateSerializer, responses={202: UploadSerializer})
    def create(self, request):
        data = request.data  # parsing counts the file as it streams in (uploads.handlers)
        if getattr(request, "upload_too_large", False):
            return Response({"detail": too_large_message()}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        incoming = UploadCreateSerializer(data=data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            upload = receive_upload(
                file=data["file"],
                user=request.user,
                area=data.get("area"),
                year=data.get("year"),
                quarter=data.get("quarter"),
                dry_run=data["dry_run"],
            )
        except UploadRefused as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        upload.refresh_from_db()
        return Response(UploadSerializer(upload).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=None,
        responses={
            202: UploadSerializer,
            409: inline_serializer("UploadNotPreviewed", {"detail": serializers.CharField()}),
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        upload = self.get_object()
        if upload.status != Upload.Status.PREVIEWED:
            return Response(
                {"detail": f"只有“试导入完成，待确认”的上传可以确认，当前状态：{upload.get_status_display()}。"},
                status=status.HTTP_409_CONFLICT,
            )
        try:
            upload = confirm_upload(upload=upload, user=request.user)
        except UploadRefused as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        return Response(UploadSerializer(upload).data, status=status.HTTP_202_ACCEPTED)
