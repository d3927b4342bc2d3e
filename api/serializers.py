"""What the API answers: the plan, reference data, observations with their upload, progress and completeness."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import Area, Indicator
from progress.models import Progress, Status
from targets.models import Department, Section, Target, TargetAreaValue
from targets.selectors import departments_by_role
from uploads.models import Observation, Upload
from uploads.selectors import COMPLETENESS_LABELS


def code_of(**kwargs):
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


class SectionSerializer(serializers.ModelSerializer):
    parent = code_of(allow_null=True)

    class Meta:
        model = Section
        fields = ["code", "title", "title_en", "kind", "parent", "theme"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name", "name_en", "kind", "aliases"]


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name"]


class AreaSerializer(serializers.ModelSerializer):
    parent = code_of(allow_null=True)

    class Meta:
        model = Area
        fields = ["code", "name", "name_en", "level", "parent"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "name_en",
            "unit",
            "unit_en",
            "kind",
            "direction",
            "min_value",
            "max_value",
            "aggregation",
            "seasonal",
            "reported_by",
        ]


class AreaValueSerializer(serializers.ModelSerializer):
    area = code_of()
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = TargetAreaValue
        fields = ["area", "area_name", "value"]


class TargetSerializer(serializers.ModelSerializer):
    section = code_of()
    measure = code_of()
    indicator = code_of()
    special_column = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    project = code_of(allow_null=True)
    area_values = AreaValueSerializer(many=True, read_only=True)
    lead_departments = serializers.SerializerMethodField()
    cooperating_departments = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "code",
            "name",
            "name_en",
            "section",
            "measure",
            "indicator",
            "comparator",
            "value",
            "value_text",
            "unit",
            "unit_en",
            "target_year",
            "deadline",
            "baseline_year",
            "baseline_value",
            "scope",
            "binding",
            "special_column",
            "project",
            "source_text",
            "area_values",
            "lead_departments",
            "cooperating_departments",
        ]

    @extend_schema_field(DepartmentRefSerializer(many=True))
    def get_lead_departments(self, target):
        return DepartmentRefSerializer(departments_by_role(target)[0], many=True).data

    @extend_schema_field(DepartmentRefSerializer(many=True))
    def get_cooperating_departments(self, target):
        return DepartmentRefSerializer(departments_by_role(target)[1], many=True).data


class UploadRefSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Upload
        fields = ["id", "original_name", "sha256", "uploaded_by", "created_at"]


class ObservationSerializer(serializers.ModelSerializer):
    area = code_of()
    indicator = code_of()
    upload = UploadRefSerializer(read_only=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "area",
            "indicator",
            "year",
            "quarter",
            "value",
            "note",
            "is_current",
            "upload",
            "source_row",
            "superseded_by",
            "superseded_at",
        ]


class OverrideSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField()


class ProgressSerializer(serializers.ModelSerializer):
    target = code_of()
    area = code_of()
    override = serializers.SerializerMethodField(help_text="管理员人工认定的状态（如有），计算所得状态仍在 status 中")

    class Meta:
        model = Progress
        fields = [
            "target",
            "area",
            "year",
            "quarter",
            "status",
            "override",
            "actual",
            "actual_year",
            "actual_quarter",
            "actual_observation",
            "actual_derived_from",
            "ytd_value",
            "yoy_change",
            "baseline",
            "baseline_source",
            "baseline_observation",
            "target_value",
            "time_share",
            "expected",
            "progress_ratio",
            "gap",
            "gap_share",
            "schedule_ratio",
            "projection",
            "projection_clipped",
            "projection_ratio",
            "projection_status",
            "sdg_ratio",
            "sdg_status",
            "computed_at",
        ]

    @extend_schema_field(OverrideSerializer(allow_null=True))
    def get_override(self, row):
        override = self.context.get("overrides", {}).get((row.target_id, row.area_id, row.year, row.quarter))
        return None if override is None else OverrideSerializer(override).data


class CompletenessCellSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    status = serializers.ChoiceField(choices=list(COMPLETENESS_LABELS))
    label = serializers.CharField()
    upload = serializers.IntegerField(allow_null=True, help_text="所依据的上传编号")
    uploaded_at = serializers.DateTimeField(allow_null=True)


class CompletenessRowSerializer(serializers.Serializer):
    area = serializers.CharField(help_text="区划代码")
    area_name = serializers.CharField()
    cells = CompletenessCellSerializer(many=True)
