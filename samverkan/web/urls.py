"""Every URL of the web app (namespace "web").

Public: `/` and `/<coop>/<year>/...` for published years only.
Signed in: `/app/<coop>/<year>/...`. Fixed prefixes come first so that no
cooperation slug can shadow them.
"""

from django.urls import include, path

from samverkan.web.views import (
    account,
    accounts,
    audit,
    budget,
    consultations,
    cycle,
    events,
    fee_rules,
    members,
    networks,
    plan,
    plan_edit,
    population,
    projects,
    proposals,
    public,
    registers,
    texts,
    workflow,
)

app_name = "web"

year_urls = [
    path("", plan.dashboard, name="dashboard"),
    path("aktiviteter/<int:pk>/", plan.activity, name="activity"),
    path("moten/", registers.meetings, name="meetings"),
    path("moten/nytt/", registers.meeting_new, name="meeting-new"),
    path("moten/<int:pk>/", registers.meeting_edit, name="meeting-edit"),
    path("moten/<int:pk>/ta-bort/", registers.meeting_delete, name="meeting-delete"),
    path("natverk/", registers.networks, name="networks"),
    path("natverk/nytt/", networks.network_new, name="network-new"),
    path("natverk/<int:pk>/", networks.network_edit, name="network-edit"),
    path("natverk/<int:pk>/ta-bort/", networks.network_delete, name="network-delete"),
    path("natverk/<int:pk>/deltagande/", networks.network_year, name="network-year"),
    path("remissvar/", consultations.consultations, name="consultations"),
    path("remissvar/nytt/", consultations.consultation_new, name="consultation-new"),
    path("remissvar/<int:pk>/", consultations.consultation_edit, name="consultation-edit"),
    path(
        "remissvar/<int:pk>/ta-bort/", consultations.consultation_delete, name="consultation-delete"
    ),
    path("projekt/", projects.projects, name="projects"),
    path("projekt/nytt/", projects.project_new, name="project-new"),
    path("projekt/<int:pk>/", projects.project_edit, name="project-edit"),
    path("projekt/<int:pk>/ta-bort/", projects.project_delete, name="project-delete"),
    path("projekt/<int:pk>/fortsatt/", projects.project_continue, name="project-continue"),
    path("arrangemang/", events.events, name="events"),
    path("arrangemang/nytt/", events.event_new, name="event-new"),
    path("arrangemang/<int:pk>/", events.event_edit, name="event-edit"),
    path("arrangemang/<int:pk>/ta-bort/", events.event_delete, name="event-delete"),
    path("texter/", texts.texts, name="texts"),
    path("texter/ny/", texts.text_new, name="text-new"),
    path("texter/<int:pk>/", texts.text_edit, name="text-edit"),
    path("texter/<int:pk>/ta-bort/", texts.text_delete, name="text-delete"),
    path("ekonomi/", registers.accounts, name="accounts"),
    path("medlemmar/", members.members, name="members"),
    path("medlemmar/ny/", members.member_new, name="member-new"),
    path("medlemmar/<int:pk>/", members.member, name="member"),
    path("medlemmar/<int:pk>/namn/", members.member_rename, name="member-rename"),
    path("medlemmar/<int:pk>/uttrade/", members.member_left, name="member-left"),
    path("avgifter/", fee_rules.fee_rules, name="fee-rules"),
    path("avgifter/ny/", fee_rules.fee_rule_new, name="fee-rule-new"),
    path("avgifter/<int:pk>/", fee_rules.fee_rule_edit, name="fee-rule-edit"),
    path("avgifter/<int:pk>/ta-bort/", fee_rules.fee_rule_delete, name="fee-rule-delete"),
    path("befolkning/", population.population, name="population"),
    path("befolkning/ny/", population.population_new, name="population-new"),
    path("befolkning/importera/", population.population_import, name="population-import"),
    path(
        "befolkning/importera/spara/",
        population.population_import_confirm,
        name="population-import-confirm",
    ),
    path("ekonomi/sie/", accounts.sie_upload, name="sie-upload"),
    path("ekonomi/sie/<str:token>/", accounts.sie_preview, name="sie-preview"),
    path("ekonomi/kontomappning/", accounts.account_mappings, name="account-mappings"),
    path("ekonomi/kontomappning/ny/", accounts.account_mapping_new, name="account-mapping-new"),
    path(
        "ekonomi/kontomappning/<int:pk>/",
        accounts.account_mapping_edit,
        name="account-mapping-edit",
    ),
    path(
        "ekonomi/kontomappning/<int:pk>/ta-bort/",
        accounts.account_mapping_delete,
        name="account-mapping-delete",
    ),
    path("ekonomi/rader/<slug:fund>/", accounts.ledger_lines, name="ledger-lines"),
    path("rapport/", workflow.report, name="report"),
    path("rapport/<slug:fmt>/", workflow.report_file, name="report-file"),
    path("status/", workflow.year_status, name="year-status"),
    path("status/andra/", workflow.year_set_status, name="year-set-status"),
    path("status/besluta/", workflow.year_decide, name="year-decide"),
    path("status/publicera/", workflow.year_publish, name="year-publish"),
    path("status/oppna/", workflow.year_reopen, name="year-reopen"),
    path("logg/", audit.audit_log, name="audit"),
    # the yearly cycle: the plan, the networks' proposals, the budget, the plan as a document
    path("verksamhetsplan/", plan_edit.plan, name="plan"),
    path("verksamhetsplan/anta/", plan_edit.plan_adopt, name="plan-adopt"),
    path("verksamhetsplan/publicera/", plan_edit.plan_publish, name="plan-publish"),
    path("verksamhetsplan/oppna/", plan_edit.plan_reopen, name="plan-reopen"),
    path("verksamhetsplan/fil/<slug:fmt>/", plan_edit.plan_file, name="plan-file"),
    path("verksamhetsplan/omraden/<int:pk>/", plan_edit.plan_area, name="plan-area"),
    path("verksamhetsplan/aktiviteter/<int:pk>/", plan_edit.plan_activity, name="plan-activity"),
    path("verksamhetsplan/forslag/", proposals.proposals, name="proposals"),
    path("verksamhetsplan/forslag/nytt/", proposals.proposal_new, name="proposal-new"),
    path("verksamhetsplan/forslag/<int:pk>/", proposals.proposal, name="proposal"),
    path("budget/", budget.budget, name="budget"),
]

public_year_urls = [
    path("", public.public_year, name="public-year"),
    path("rapport/<slug:fmt>/", public.public_report, name="public-report"),
    path("data.json", public.public_data_json, name="public-data-json"),
    path("plan.json", public.public_plan_json, name="public-plan-json"),
    path("plan.csv", public.public_plan_csv, name="public-plan-csv"),
    path("verksamhetsplan/<slug:fmt>/", public.public_plan_document, name="public-plan-document"),
    path("accounts.json", public.public_accounts_json, name="public-accounts-json"),
    path("accounts.csv", public.public_accounts_csv, name="public-accounts-csv"),
]

urlpatterns = [
    path("", public.public_index, name="public-index"),
    path("hem/", plan.home, name="home"),
    path("konto/logga-in/", account.login, name="login"),
    path("konto/logga-ut/", account.logout, name="logout"),
    path("sprak/", account.set_language, name="set-language"),
    path("app/<slug:coop>/", plan.cooperation_home, name="cooperation-home"),
    path("app/<slug:coop>/nytt-ar/", cycle.year_new, name="year-new"),
    path("app/<slug:coop>/<int:year>/", include(year_urls)),
    path("<slug:coop>/", public.public_cooperation, name="public-cooperation"),
    path("<slug:coop>/<int:year>/", include(public_year_urls)),
]
