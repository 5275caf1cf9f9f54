from django.urls import path

from jigsaw.sharing.views import advice, agreements, external, governance, receive, requests, share

urlpatterns = [
    # Sharing from a child's chronology: choose entries, decide (golden rules), preview, check, send
    path("people/<int:person_id>/share/", share.choose_entries, name="share_choose"),
    path("share/<uuid:draft_id>/decision/", share.decision_form, name="share_decision"),
    path("share/<uuid:draft_id>/preview/", share.preview, name="share_preview"),
    path("share/<uuid:draft_id>/check/", share.check_answers, name="share_check"),
    path("share/<uuid:draft_id>/discard/", share.discard, name="share_discard"),
    path("share/<uuid:draft_id>/advice/", advice.ask_advice, name="ask_advice"),
    path("sharing/sent/", share.sent, name="disclosures_sent"),
    path("sharing/disclosures/<int:disclosure_id>/", share.disclosure, name="disclosure"),
    path("sharing/disclosures/<int:disclosure_id>/chase/", share.chase, name="chase_disclosure"),
    path("sharing/disclosures/<int:disclosure_id>/update/", share.send_update, name="send_disclosure_update"),
    path("sharing/disclosures/<int:disclosure_id>.pdf", share.disclosure_pdf, name="disclosure_pdf"),
    path("sharing/disclosures/<int:disclosure_id>/revoke-link/", external.revoke_link, name="revoke_external_link"),
    path("sharing/decisions/", share.decisions, name="decisions"),
    path("sharing/decisions/<int:decision_id>/", share.decision, name="decision"),
    # Receiving
    path("sharing/inbox/", receive.inbox, name="sharing_inbox"),
    path("sharing/received/<int:disclosure_id>/", receive.received, name="received_disclosure"),
    path("sharing/received/<int:disclosure_id>/acknowledge/", receive.acknowledge, name="acknowledge_disclosure"),
    path("sharing/received/<int:disclosure_id>/save/", receive.save_to_chronology, name="save_disclosure"),
    path("sharing/received/<int:disclosure_id>.pdf", receive.received_pdf, name="received_disclosure_pdf"),
    # Recipients outside the partnership: no account, a link and a code
    path("shared/<str:token>/", external.open_link, name="external_disclosure"),
    path("shared/<str:token>/download.pdf", external.download, name="external_download"),
    # Requests for information
    path("requests/", requests.received, name="requests_received"),
    path("requests/made/", requests.made, name="requests_made"),
    path("requests/new/", requests.new_request, name="new_request"),
    path("requests/<int:request_id>/", requests.request_detail, name="request"),
    path("requests/<int:request_id>/answer/", requests.answer, name="answer_request"),
    path("requests/<int:request_id>/add-information/", requests.add_information, name="add_information"),
    path("requests/<int:request_id>/withdraw/", requests.withdraw, name="withdraw_request"),
    # Advice (golden rule 4) and "don't assume"
    path("advice/", advice.advice_list, name="advice_list"),
    path("advice/<int:advice_id>/", advice.advice, name="advice"),
    path("prompts/triage/<int:entry_id>/", advice.respond_to_triage_prompt, name="triage_prompt"),
    path("prompts/alerts/<int:alert_id>/", advice.respond_to_alert_prompt, name="alert_prompt"),
    # Governance review (DPO, Caldicott guardian)
    path("governance/", governance.queue, name="governance"),
    path("governance/decisions/<int:decision_id>/", governance.review, name="governance_review"),
    path("governance/report/", governance.report, name="governance_report"),
    path("governance/report.csv", governance.report_csv, name="governance_report_csv"),
    # Information sharing agreements (partnership administrator) and local settings
    path("agreements/", agreements.agreements, name="agreements"),
    path("agreements/new/", agreements.add_agreement, name="add_agreement"),
    path("agreements/<int:agreement_id>/", agreements.agreement, name="agreement"),
    path("agreements/<int:agreement_id>/edit/", agreements.edit_agreement, name="edit_agreement"),
    path("agreements/<int:agreement_id>/document/", agreements.document, name="agreement_document"),
    path("admin/organisations/<int:organisation_id>/sharing/", agreements.sharing_settings,
         name="sharing_settings"),
]
