"""Real-world magnitudes and shapes the demo series start from: baselines, seasons, splits between cities."""

# Relative weights for splitting a provincial total between the reporting units.
WEIGHTS = {
    #           沈阳   大连  鞍山  抚顺 本溪 丹东 锦州  营口 阜新 辽阳 盘锦 铁岭  朝阳 葫芦岛 沈抚
    "urban": (66, 70, 17, 8, 8, 8, 10, 13, 4, 8, 13, 6, 9, 8, 2),
    "rural": (12, 8, 6, 4, 2, 6, 9, 4, 9, 4, 4, 11, 12, 7, 0.5),
    "industry": (12, 14, 14, 8, 8, 3, 5, 10, 3, 6, 8, 3, 4, 6, 1),
    "mining": (3, 3, 16, 10, 12, 7, 6, 8, 9, 6, 1, 5, 12, 10, 0.5),
}

# Decimals a city would report, by unit.
DECIMALS = {
    "%": 1,
    "微克/立方米": 1,
    "万千瓦": 1,
    "吨标准煤/万元": 3,
    "立方米/万元": 1,
    "无量纲": 3,
    "蒸吨": 0,
    "蒸吨/小时": 0,
    "万家": 3,
    "天": 0,
    "小时/日": 0,
    "个": 0,
    "家": 0,
    "台": 0,
    "座": 0,
    "条": 0,
    "处": 0,
    "套": 0,
    "次": 0,
    "亩": 0,
    "平方米": 0,
    "公顷": 0,
    "吨/日": 0,
    "毫克/升": 2,
}
INTEGER_UNITS = {u for u, d in DECIMALS.items() if d == 0}

# Real-world magnitudes for the 2020 baseline and the shape of each series. Keys:
#   base       the 2020 value (the province's own figure; the typical city value for city means; the provincial total
#              for summed quantities, split by `weights`)
#   spread/lo/hi  city spread (sd) around `base` and the range a city baseline stays in
#   gap        instead of `base`: how far the 2020 value lies short of each area's own target
#   season     year-to-date factors for 1–3月, 1–6月, 1–9月 (全年 = 1); `complement` applies them to 100 − value
#   group      shared city latent (air quality): a city with high PM2.5 has fewer good days
#   noise      annual noise as a share of the baseline-to-target gap (default 0.03)
#   start      completion in 2020 (typical %, default 10)
#   weights    how a provincial total splits between cities (urban | rural | industry | mining)
#   steps      cumulative quantities that come in lumps (plants commissioned): number of lumps
#   schedule   a known history: [(year, quarter, value), …] steps
#   aim        for an indicator no target names: (value, year)
#   hold       the plan keeps a stock at its 2020 size (继续实施): flat
#   only/other areas with a real series, and the constant the others report
#   denominator  the share is k of n items (n drawn in this range), so values are whole fractions
HINTS: dict[str, dict] = {
    # --- 1 总体目标 ---
    "pm25": {"base": 42.5, "spread": 2.3, "lo": 39, "hi": 46, "season": (1.42, 1.08, 0.91), "group": ("air", 1)},
    "good_air_days_ratio": {
        "base": 83,
        "spread": 1.8,
        "lo": 80,
        "hi": 86,
        "season": (1.72, 1.06, 0.8),
        "complement": True,
        "group": ("air", -1),
    },
    "heavy_pollution_days_ratio": {
        "base": 1.6,
        "spread": 0.45,
        "lo": 0.9,
        "hi": 2.6,
        "season": (2.3, 1.25, 0.88),
        "group": ("air", 1),
    },
    "co2_intensity_national_requirement_completion": {"start": 0},
    "heavy_pollution_elimination_completion": {"start": 0},
    "urban_black_odorous_elimination_completion": {"start": 70},
    # --- 2.1 绿色低碳 ---
    "non_fossil_power_capacity": {"base": 2208, "noise": 0},
    "non_fossil_power_capacity_share": {"base": 37.6, "noise": 0},
    "wind_solar_power_capacity": {"base": 1385, "noise": 0},
    "nuclear_power_capacity": {"schedule": [(2020, 1, 448), (2021, 3, 560), (2022, 2, 672)]},
    "hongyanhe_phase2_capacity_added": {"schedule": [(2020, 1, 0), (2021, 3, 112), (2022, 2, 224)]},
    "urban_clean_heating_rate": {"base": 76, "spread": 6, "lo": 64, "hi": 88},
    "benchmark_energy_efficiency_capacity_share": {"base": 12},
    "energy_intensity": {"base": 0.92, "season": (1.1, 1.02, 0.97), "noise": 0.02},
    "water_intensity": {"base": 51.5, "season": (0.62, 1.08, 1.18), "noise": 0.03},
    "irrigation_water_use_coefficient": {"base": 0.586, "noise": 0.02},
    "efficient_irrigation_area_added": {"weights": "rural"},
    "wastewater_reuse_rate": {"gap": 8},
    # --- 2.2.1 重污染天气 ---
    "coal_boiler_35t_elimination_completion": {"start": 45},
    "loose_coal_households_treated": {"weights": "rural"},
    "county_coal_boiler_20t_elimination_completion": {"start": 20},
    "boiler_capacity_retired": {"weights": "urban"},
    "new_coal_boiler_min_capacity": {"sizes": (40, 58, 65, 75, 116, 130)},
    "graded_control_key_enterprises": {"base": 0.72, "weights": "industry", "noise": 0},
    "regional_trend_forecast_horizon": {"base": 12, "noise": 0},
    "pm_component_station_cities": {"built_2020": 0.3},
    "straw_burning_monitoring_points": {"weights": "rural"},
    "straw_burning_ir_monitoring_hours": {"base": 12, "noise": 0},
    "power_monitored_key_enterprises": {"base": 20, "weights": "industry", "noise": 0},
    # --- 2.2.2 臭氧 ---
    "voc_emissions": {"base": 44.7, "noise": 0.05},
    "nox_emissions": {"base": 58.6, "noise": 0.05},
    "voc_key_links_rectification_completion": {"start": 10},
    "oil_terminal_vapor_recovery_completion": {"start": 30},
    "oil_tanker_vapor_recovery_completion": {"start": 20},
    "steel_ultra_low_emission_capacity_share": {"base": 22, "noise": 0},
    "voc_key_enterprises_treated": {"weights": "industry"},
    "coal_boiler_65t_ultra_low_completion": {"start": 50},
    "kilns_treated": {"weights": "industry"},
    "voc_component_station_cities": {"built_2020": 0.1},
    "voc_online_monitoring_enterprises": {"base": 150, "weights": "industry", "noise": 0},
    "enforcement_voc_ir_equipment_completion": {"start": 30},
    # --- 2.2.3 柴油货车 ---
    "diesel_truck_emission_test_pass_rate": {"base": 85, "spread": 2.5, "lo": 80, "hi": 89.5},
    "rail_freight_share": {"base": 11.3},
    "bulk_clean_transport_national_requirement_completion": {"start": 20},
    "new_public_vehicles_clean_energy_share": {"base": 32, "spread": 7, "lo": 20, "hi": 45},
    "china3_vehicles_retired": {"weights": "urban"},
    "vehicle_remote_sensing_cities": {"built_2020": 0.45},
    "vehicle_remote_sensing_sets": {"gap": 2},
    "vehicle_inspection_agency_spot_check_ratio": {"full_year": (1.2, 1.8)},
    # --- 2.2.4 面源 ---
    "licensed_mines_green_creation_completion": {"start": 15},
    "licensed_producing_mines_green_share": {"base": 25, "spread": 8, "lo": 10, "hi": 40},
    "new_mines_green_share": {"base": 70, "spread": 10, "lo": 50, "hi": 90, "denominator": (6, 15)},
    # only 鞍山 and 营口 have magnesite mines; the other units have none and report every mine (none) compliant
    "magnesite_mines_green_share": {"base": 20, "spread": 6, "lo": 10, "hi": 30, "only": ("210300", "210800")},
    "noise_zone_auto_monitoring_completion": {"start": 20},
    # --- water quality ---
    "surface_water_good_share": {"base": 71.0, "season": (1.15, 1.08, 1.04), "complement": True},
    "surface_water_worse_v_share": {"base": 2.0, "aim": (0.5, 2025), "season": (1.6, 1.3, 1.1)},
    "liao_river_good_share": {"base": 52, "season": (1.1, 1.05, 1.02), "complement": True},
    "drinking_water_source_good_share": {"base": 94, "spread": 5, "lo": 84, "hi": 100, "denominator": (6, 18)},
    "nearshore_good_share": {"base": 88.5, "season": (1.05, 1.03, 1.01), "complement": True},
    "bohai_nearshore_good_share": {"base": 76, "season": (1.06, 1.03, 1.01), "complement": True},
    "sea_river_tn_concentration": {"base": 4.6, "spread": 1.2, "lo": 2.6, "hi": 7.5, "season": (1.15, 1.06, 0.94)},
    "bathing_beach_good_rate": {"base": 95, "season": (1.0, 1.0, 1.0), "complement": True},
    # --- urban sewage ---
    "urban_sewage_collection_rate": {"base": 56, "spread": 6, "lo": 45, "hi": 66},
    "water_supply_leakage_rate": {"base": 13.5, "spread": 2.2, "lo": 10.6, "hi": 19},
    "sludge_resource_use_rate": {"base": 65, "spread": 12, "lo": 40, "hi": 86},
    "sludge_safe_disposal_rate": {"base": 87, "spread": 4, "lo": 78, "hi": 95},
    "sludge_disposal_capacity_added": {"steps": 2},
    "wwtp_capacity_added": {"steps": 1},
    "wwtp_capacity_upgraded": {"steps": 2},
    "liao_np_key_outfall_standardized": {"base": 0, "noise": 0},
    "tributary_outfall_rectification_completion": {"start": 15},
    "sewage_direct_outfall_elimination_completion": {"start": 30},
    "sewage_blank_area_elimination_completion": {"start": 25},
    "industrial_park_sewage_upgrade_completion": {"start": 15},
    "beautiful_rivers_lakes_completion": {"start": 0},
    "county_black_odorous_survey_completion": {"start": 0},
    "oil_spill_depot_count": {"steps": 1},
    "eco_demo_zones_and_two_mountains_bases": {"steps": 5},
    "beautiful_bay_count": {"steps": 5},
    "port_sewage_disposal_rate": {"base": 85},
    "fishing_port_sewage_disposal_rate": {"base": 58},
    "natural_shoreline_km": {"base": 742, "noise": 0},
    # --- 2.4 净土 ---
    "rural_sewage_treatment_rate": {"base": 24, "spread": 5, "lo": 14, "hi": 33},
    "rural_black_odorous_water_elimination_completion": {"start": 10},
    "fertilizer_use_efficiency": {"base": 40.2},
    "pesticide_use_efficiency": {"base": 40.6},
    "waste_agri_film_recovery_rate": {"base": 82, "spread": 2.5, "lo": 77, "hi": 86},
    "livestock_manure_utilization_rate": {"base": 77, "spread": 3, "lo": 71, "hi": 82},
    "rural_waste_sorting_demo_counties_built": {"full_year": (1.0, 1.2)},
    "non_major_livestock_counties_manure_utilization": {"weights": "rural"},
    "contaminated_farmland_safe_use_rate": {"base": 90.5, "spread": 1.5, "lo": 87, "hi": 93},
    "zero_waste_cities_count": {"base": 1, "noise": 0},
    "general_industrial_solid_waste_utilization_rate": {"base": 38, "spread": 8, "lo": 22, "hi": 49},
    "groundwater_survey_chem_parks_hw_landfills_completion": {"start": 10},
    "groundwater_survey_other_sources_completion": {"start": 5},
    # --- 2.5 生态安全 ---
    "liaohe_natural_enclosure_area": {"base": 112.86, "noise": 0, "hold": True},
    "legacy_mine_restoration_area": {"weights": "mining"},
    "soil_water_conservation_rate": {"base": 75.6, "noise": 0},
    "forest_coverage_rate": {"base": 39.4, "noise": 0},
    "grassland_vegetation_coverage": {"base": 63.4},
    "wetland_protection_rate": {"base": 36.5, "noise": 0},
    "first_level_river_eco_corridors_treated": {"base": 0, "noise": 0},
    "first_level_biodiversity_corridors_opened": {"base": 0, "noise": 0},
    "eco_status_remote_sensing_assessment_completion": {"start": 0},
    "abandoned_tailings_ponds_surveyed": {"weights": "mining"},
    "abandoned_tailings_ponds_treated": {"weights": "mining"},
    "key_heavy_metal_emissions": {"base": 38, "weights": "mining", "noise": 0.1},
    "hazardous_waste_in_province_disposal_completion": {"start": 50},
    "medical_waste_full_collection_disposal_completion": {"start": 70},
    "chem_park_emergency_plan_filing_rate": {"base": 80},
    "province_env_emergency_drills": {"full_year": (1.0, 2.0)},
    "city_env_emergency_drills": {"full_year": (1.0, 2.0)},
    "chem_park_env_emergency_drills_min": {"full_year": (1.0, 1.5)},
    "waste_incineration_auto_monitoring_rate": {"base": 88},
    "world_env_day_2022_main_event_completion": {"start": 0},
}
