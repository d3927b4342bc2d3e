"""Read endpoints: thin doors onto the selectors of the plan, uploads and progress apps. Every list is paginated and
makes a fixed number of queries; a city officer sees their own city's observations and progress alone."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from indicators.models import Area, Indicator
from indicators.periods import today
from progress.selectors import overrides_for, progress_for
from targets.models import Department, Section
from targets.selectors import targets_with_responsibility
from uploads.selectors import completeness_of_year, observations_for

from . import params, serializers


def checked(params_class, request):
    """The request's query parameters, validated (a 400 with field errors otherwise)."""
    query = params_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def refuse_other_areas(user, area) -> None:
    if area is not None and not user.sees_area(area):
        raise PermissionDenied(_("您只能查看%(area)s的数据。") % {"area": user.area.name})


class SectionViewSet(viewsets.ReadOnlyModelViewSet):
    """The plan's outline: parts, chapters and battles."""

    queryset = Section.objects.select_related("parent").order_by("order")
    serializer_class = serializers.SectionSerializer
    lookup_field = "code"


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The departments the plan's responsibility clauses name."""

    queryset = Department.objects.order_by("order")
    serializer_class = serializers.DepartmentSerializer
    lookup_field = "code"


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The province, its 14 cities, 沈抚示范区 and the counties the plan names."""

    queryset = Area.objects.select_related("parent").order_by("order", "code")
    serializer_class = serializers.AreaSerializer
    lookup_field = "code"


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """What is measured, with its unit, direction and valid range."""

    queryset = Indicator.objects.order_by("order", "code")
    serializer_class = serializers.IndicatorSerializer
    lookup_field = "code"


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    """Every commitment of the plan, with its per-area values and its lead and cooperating departments."""

    serializer_class = serializers.TargetSerializer
    lookup_field = "code"

    def get_queryset(self):
        if self.action != "list":
            return targets_with_responsibility()
        query = checked(params.TargetParams, self.request)
        return targets_with_responsibility(
            section_code=query["section"].code if "section" in query else None,
            department_code=query["department"].code if "department" in query else None,
            special_column=query.get("special_column"),
            target_year=query.get("target_year"),
        ).order_by("order")

    @extend_schema(parameters=[params.TargetParams])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ObservationViewSet(viewsets.ReadOnlyModelViewSet):
    """Reported values, current and superseded, each with the upload it came from."""

    serializer_class = serializers.ObservationSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        if self.action != "list":
            return observations_for(user=self.request.user)
        query = checked(params.ObservationParams, self.request)
        refuse_other_areas(self.request.user, query.get("area"))
        return observations_for(
            user=self.request.user,
            area=query.get("area"),
            indicator=query.get("indicator"),
            year=query.get("year"),
            quarter=query.get("quarter"),
            upload_id=query.get("upload"),
            current=query.get("current"),
        )

    @extend_schema(parameters=[params.ObservationParams])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ProgressViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Progress of every target × area × quarter, as last computed, with any administrator's override beside it."""

    serializer_class = serializers.ProgressSerializer

    def get_queryset(self):
        query = checked(params.ProgressParams, self.request)
        refuse_other_areas(self.request.user, query.get("area"))
        return progress_for(user=self.request.user, **query)

    @extend_schema(parameters=[params.ProgressParams])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "overrides": overrides_for(page)}
        data = self.get_serializer_class()(page, many=True, context=context).data
        return self.get_paginated_response(data)


class CompletenessViewSet(viewsets.GenericViewSet):
    """Which city sent which quarter of a year: on time, late, missing, rejected or pending (provincial users)."""

    serializer_class = serializers.CompletenessRowSerializer
    pagination_class = None

    @extend_schema(parameters=[params.CompletenessParams], responses=serializers.CompletenessRowSerializer(many=True))
    def list(self, request):
        if not request.user.sees_everything:
            raise PermissionDenied(_("完成情况表供省级用户查看。"))
        areas, quarters, grid = completeness_of_year(checked(params.CompletenessParams, request)["year"], today=today())
        rows = [
            {
                "area": area.code,
                "area_name": area.name,
                "cells": [_cell(year, quarter, grid[(area.pk, year, quarter)]) for year, quarter in quarters],
            }
            for area in areas
        ]
        return Response(serializers.CompletenessRowSerializer(rows, many=True).data)


def _cell(year, quarter, cell) -> dict:
    return {
        "year": year,
        "quarter": quarter,
        "status": cell.status,
        "label": cell.label,
        "upload": cell.upload.pk if cell.upload else None,
        "uploaded_at": cell.upload.created_at if cell.upload else None,
    }
