"""REST API for quarter approvals: list them, and submit, approve, return or unlock one (uploads.approval)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from indicators.models import Area

from .approval import ACTIONS, ApprovalRefused, take_action
from .models import QuarterApproval


class QuarterApprovalSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = QuarterApproval
        fields = [
            "id",
            "area",
            "year",
            "quarter",
            "status",
            "status_display",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "reason",
        ]
        read_only_fields = fields


class ApprovalStepSerializer(serializers.Serializer):
    area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all(), help_text="区划代码")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    action = serializers.ChoiceField(
        choices=list(ACTIONS), help_text="submit 提交审核 · approve 审核通过 · return 退回 · unlock 解锁"
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="退回、解锁时必填")


class QuarterApprovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_converter = "int"  # /…/abc/ is not a route: 404, never a query with "abc"
    serializer_class = QuarterApprovalSerializer

    def get_queryset(self):
        approvals = QuarterApproval.objects.select_related("area", "submitted_by", "decided_by")
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular describing the API: no user
            return approvals.none()
        user = self.request.user
        if not user.sees_everything:
            approvals = approvals.filter(area=user.area)
        for field in ("year", "quarter"):
            if value := self.request.query_params.get(field):
                approvals = approvals.filter(**{field: int(value)}) if value.isdigit() else approvals.none()
        return approvals

    @extend_schema(request=ApprovalStepSerializer, responses={200: QuarterApprovalSerializer})
    def create(self, request):
        step = ApprovalStepSerializer(data=request.data)
        step.is_valid(raise_exception=True)
        data = step.validated_data
        try:
            approval = take_action(
                data["action"],
                area=data["area"],
                year=data["year"],
                quarter=data["quarter"],
                user=request.user,
                reason=data["reason"],
                request=request,
            )
        except ApprovalRefused as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        return Response(QuarterApprovalSerializer(approval).data, status=status.HTTP_200_OK)
