from django.urls import path

from jigsaw.chronology.views import attachments, audits, chronology, concerns, settings

urlpatterns = [
    # Logging a concern (any member of staff) and seeing what became of it
    path("concerns/", concerns.my_concerns, name="my_concerns"),
    path("concerns/new/", concerns.choose_child, name="choose_child"),
    path("concerns/<int:concern_id>/", concerns.concern, name="concern"),
    path("people/<int:person_id>/concern/", concerns.log_concern, name="log_concern"),
    path("people/<int:person_id>/concern/check/", concerns.check_concern, name="check_concern"),
    # The safeguarding lead's inbox
    path("inbox/", concerns.inbox, name="concern_inbox"),
    path("concerns/<int:concern_id>/triage/", concerns.triage, name="triage_concern"),
    path("alerts/<int:alert_id>/", concerns.alert, name="alert"),
    # The chronology
    path("people/<int:person_id>/chronology/", chronology.chronology, name="chronology"),
    path("people/<int:person_id>/chronology.pdf", chronology.chronology_pdf, name="chronology_pdf"),
    path("people/<int:person_id>/front-sheet/", chronology.front_sheet, name="front_sheet"),
    path("people/<int:person_id>/entries/add/", chronology.add_entry, name="add_entry"),
    path("entries/<int:entry_id>/", chronology.entry, name="entry"),
    path("entries/<int:entry_id>/correct/", chronology.correct_entry, name="correct_entry"),
    path("entries/<int:entry_id>/key-event/", chronology.key_event, name="key_event"),
    path("actions/<int:item_id>/complete/", chronology.complete_action, name="complete_action"),
    path("attachments/<int:attachment_id>/", attachments.download, name="attachment"),
    # What the partnership administrator configures
    path("admin/categories/", settings.categories, name="concern_categories"),
    path("admin/organisations/<int:organisation_id>/chronology/", settings.chronology_settings,
         name="chronology_settings"),
    # File audits
    path("audits/", audits.audits, name="file_audits"),
    path("audits/new/", audits.start_audit, name="start_file_audit"),
    path("audits/<int:audit_id>/", audits.audit, name="file_audit"),
    path("audits/<int:audit_id>/report.pdf", audits.audit_pdf, name="file_audit_pdf"),
    path("audits/<int:audit_id>/files/<int:item_id>/", audits.audit_item, name="file_audit_item"),
]
