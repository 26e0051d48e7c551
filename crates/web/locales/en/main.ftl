site-name = Tripart
skip-to-content = Skip to content
nav-label = Main
nav-home = Home
footer-sources = Every record cites the ASEAN or ILO document it comes from.
footer-api = The API and its OpenAPI document

error-title = Something went wrong
error-not-found = Page not found
error-no-such-page = There is no page at this address. The links above lead to everything Tripart holds.
error-database = The database did not answer. Please try again in a moment.
error-data-rejected = The data were not taken: nothing was stored. Each problem is listed below with its line and field.
error-back-home = Back to the home page

home-title = ASEAN labour cooperation
home-lead = The ASEAN Labour Ministers' work programmes, their subsidiary bodies' work plans, the meetings that carry them out and the recommendations they adopt, the ILO conventions member states ratify, and the indicators they agreed to share.
home-at-a-glance = At a glance
home-programmes = Programmes and work plans

stat-programmes = { $n ->
    [one] programme
   *[other] programmes
}
stat-actions = { $n ->
    [one] action
   *[other] actions
}
stat-meetings = { $n ->
    [one] meeting
   *[other] meetings
}
stat-recommendations = { $n ->
    [one] recommendation
   *[other] recommendations
}
stat-bodies = { $n ->
    [one] ASEAN body
   *[other] ASEAN bodies
}
stat-member-states = { $n ->
    [one] member state
   *[other] member states
}
stat-conventions = { $n ->
    [one] ILO convention followed
   *[other] ILO conventions followed
}
stat-indicators = { $n ->
    [one] indicator defined
   *[other] indicators defined
}
nav-programmes = Programmes
nav-actions = Actions
nav-bodies = Bodies
nav-member-states = Member states
nav-meetings = Meetings
nav-ratifications = Ratifications
nav-indicators = Indicators
nav-glossary = Glossary
crumbs-label = Breadcrumb

error-bad-request = The address is not quite right
error-bad-parameter = The value given for “{ $value }” cannot be used. Please correct it and try again.
programme-not-found = There is no programme or work plan “{ $value }”.
action-not-found = There is no action “{ $value }”.
body-not-found = There is no ASEAN body “{ $value }”.
partner-not-found = There is no partner “{ $value }”.
member-state-not-found = There is no ASEAN member state with the code “{ $value }”.
meeting-not-found = There is no meeting “{ $value }”.
convention-not-found = There is no ILO convention or protocol “{ $value }” in Tripart.
instrument-not-found = There is no ASEAN instrument “{ $value }”.

## Dates and lists
date-day = { $day } { $month } { $year }
date-month = { $month } { $year }
date-unknown = Date not known
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
list-range = { $total ->
    [0] Nothing matches these filters.
    [one] One item.
   *[other] Items { $first }–{ $last } of { $total }.
}
pager-label = Pages
pager-previous = ← Previous page
pager-next = Next page →
none-recorded = None recorded.

## Filters
filter-label = Filter
filter-any = Any
filter-apply = Apply filters
filter-clear = Clear filters
filter-programme = Programme
filter-body = Responsible body
filter-member-state = Coordinating member state
filter-status = Status
filter-year = Year
filter-q = Words in the title or description
filter-series = Series
filter-host = Host member state

## Table columns
col-action = Action
col-actions = Actions
col-adopted = Adopted
col-adopted-by = Adopted by
col-bodies = Responsible bodies
col-body = Body
col-calendar = Calendar
col-category = Category
col-code = Code
col-convention = Convention
col-date = Date
col-definition = Definition
col-event = Event
col-expansion = Stands for
col-from = From
col-host = Host
col-ilostat = ILOSTAT code
col-indicator = Indicator
col-joined = Joined ASEAN
col-kind = Kind
col-meeting = Meeting
col-member-state = Member state
col-name = Name
col-owner = Owner
col-partner = Partner
col-programme = Programme
col-recommendations = Recommendations
col-reports-to = Reports to
col-standing = Standing today
col-status = Status
col-term = Abbreviation
col-title = Title
col-unit = Unit
col-until = Until
col-years = Years

## Sources
source-heading = Source
source-document = Document
source-section = Section
source-reference = Public record
source-notes = Curator's notes
source-file = Catalogue file

## Programmes
programmes-title = Programmes and work plans
programmes-lead = The ASEAN Labour Ministers' work programmes and the work plans of their subsidiary bodies, each laid out as its document lays it out.
programmes-caption = { $n ->
    [one] One programme or work plan
   *[other] { $n } programmes and work plans
}
programme-objective = Objective
programme-description = Description
programme-status-counts = Where its actions stand
programme-structure = Structure and actions
programme-other-actions = Actions outside the structure
node-bodies = Responsible bodies

## Actions
actions-title = Actions
actions-lead = Every recommended action, activity, project and commitment of the programmes, with who carries it out and when.
actions-none = No action matches these filters.
action-absorbed-into = Absorbed into
action-calendar = Calendar
action-no-calendar = Not given in the document
action-coordinators = Coordinators
action-collaborators = Collaborators
action-status-stated = (as the document states)
action-status-default = (the document states no status; planned by default)
action-activities = Activities
action-carries = Carries out these actions of other plans
action-carried-by = Carried out by these actions of other plans
action-lines = ASCC Blueprint action lines
action-instruments = ASEAN instruments
action-meetings = Meetings that implement it
action-recommendations = Recommendations it carries out

## Bodies, partners, member states
bodies-title = ASEAN bodies
bodies-lead = The ministerial meetings, senior officials and subsidiary bodies that own the programmes and carry out the actions.
bodies-see-partners = Partners are listed separately.
bodies-caption = { $n ->
    [one] One body
   *[other] { $n } bodies
}
body-established = Established
body-reports-to-none = No body above it
body-subsidiaries = Bodies that report to it
body-programmes = Programmes and work plans it owns
body-actions = Actions it is responsible for
body-meetings = Meetings it organises
partners-title = Partners
partners-caption = { $n ->
    [one] One partner
   *[other] { $n } partners
}
partner-actions = Actions it collaborates on
partner-meetings = Meetings it took part in
member-states-title = ASEAN member states
member-states-caption = { $n ->
    [one] One member state
   *[other] { $n } member states
}
member-state-coordinates = Actions it coordinates
member-state-hosts = Meetings it hosts
member-state-conventions = ILO conventions
member-state-conventions-caption = Standing on { $value }
member-state-see-matrix = Compare all member states
party-secretariat = ASEAN Secretariat
party-all_member_states = All ASEAN Member States
party-tbc = To be confirmed

## Meetings
meetings-title = Meetings
meetings-lead = Forums, conferences, workshops and ministerial meetings, with the recommendations they adopted.
meetings-none = No meeting matches these filters.
meetings-caption = { $n ->
    [one] One meeting, by date
   *[other] { $n } meetings, by date
}
meeting-body = Organised by
meeting-city = City
meeting-theme = Theme
meeting-participants = Participants
meeting-implements = Actions it implements
meeting-recommendations = Recommendations
meeting-no-recommendations = The document records no recommendations of this meeting.
meeting-recommendation-count = { $n ->
    [one] One numbered recommendation.
   *[other] { $n } numbered recommendations.
}
recommendation-carried-out-by = Carried out by

## Ratifications
ratifications-title = Ratification of ILO conventions
ratifications-lead = Which member states had ratified which ILO conventions on a given date, derived from the dated ratification and denunciation record.
ratifications-form-label = Date and category
ratifications-as-of = Date
ratifications-show = Show
ratifications-jump = Go to:
ratifications-annex-date = 1 November 2013 (the 2010-2015 Work Programme's Annexes 1 and 2)
ratifications-today = today
ratifications-legend = Legend
ratifications-caption = Member states and conventions on { $value }
ratifications-no-conventions = No convention of this category existed on that date.
ratifications-as-json = This matrix as JSON
legend-ratified = the member state had ratified the convention (date of ratification)
legend-denounced = the member state had denounced it (date of denunciation)
legend-not-ratified = not ratified
conventions-title = ILO conventions
conventions-caption = { $n ->
    [one] One convention, with its category today
   *[other] { $n } conventions and protocols, with their category today
}
convention-short-title = Short title
convention-category-today = Category today
convention-categories = Categories over time
convention-categories-caption = The ILO's classification, by period
convention-still = still in force
convention-events = Ratifications and denunciations
convention-events-caption = { $n ->
    [one] One event
   *[other] { $n } events
}

## Indicators, glossary, instruments
indicators-title = Indicators
indicators-lead = The indicators member states agreed to share: the common labour market information indicators and the ASEAN-OSHNET scorecard.
indicator-set-lmis-common = LMIS common indicators
indicator-set-oshnet-scorecard = ASEAN-OSHNET scorecard
indicator-kind-quantitative = Quantitative indicators
indicator-kind-qualitative = Qualitative indicators
glossary-title = Glossary
glossary-lead = The abbreviations of the source documents. Throughout Tripart, an abbreviation shows its full name when you point at it.
glossary-caption = { $n ->
    [one] One abbreviation
   *[other] { $n } abbreviations
}
instruments-title = ASEAN instruments
instruments-lead = Declarations, blueprints, conventions and frameworks that the programmes and meetings cite, with the action lines the work plans refer to.
instrument-actions = Actions that cite it
instrument-meetings = Meetings that cite it
instrument-recommendations = Recommendations that cite it

## Vocabulary
status-planned = Planned
status-ongoing = Ongoing
status-completed = Completed
status-tbc = To be confirmed
status-absorbed = Absorbed
action-kind-recommended_action = Recommended action
action-kind-activity = Activity
action-kind-project = Project
action-kind-initiative = Initiative
action-kind-commitment = Commitment
programme-kind-work_programme = Work programme
programme-kind-work_plan = Work plan
programme-kind-plan_of_action = Plan of action
node-kind-strategic_priority = strategic priority
node-kind-key_result_area = key result area
node-kind-intermediate_goal = intermediate goal
node-kind-intermediate_target = intermediate target
node-kind-thematic_area = thematic area
node-kind-priority_area = priority area
node-kind-thrust = thrust
node-kind-heading = heading
body-kind-ministerial = Ministerial
body-kind-senior_officials = Senior officials
body-kind-subsidiary = Subsidiary body
body-kind-secretariat = Secretariat
body-kind-asean_body = ASEAN body
body-kind-summit = Summit
partner-kind-international_organisation = International organisation
partner-kind-dialogue_partner = Dialogue partner
partner-kind-government = Government
partner-kind-employers = Employers
partner-kind-workers = Workers
partner-kind-civil_society = Civil society
partner-kind-foundation = Foundation
partner-kind-business = Business
partner-kind-project = Project
partner-kind-other = Other
meeting-kind-ministerial = Ministerial meeting
meeting-kind-senior_officials = Senior officials meeting
meeting-kind-coordinating_board = Coordinating board meeting
meeting-kind-forum = Forum
meeting-kind-conference = Conference
meeting-kind-seminar = Seminar
meeting-kind-workshop = Workshop
meeting-kind-training = Training
meeting-kind-policy_dialogue = Policy dialogue
meeting-kind-mission = Mission
meeting-kind-competition = Competition
meeting-kind-summit = Summit
meeting-kind-other = Other
instrument-kind-blueprint = Blueprint
instrument-kind-declaration = Declaration
instrument-kind-consensus = Consensus
instrument-kind-convention = Convention
instrument-kind-framework = Framework
instrument-kind-agreement = Agreement
instrument-kind-plan = Plan
instrument-kind-statement = Statement
instrument-kind-charter = Charter
instrument-kind-vision = Vision
instrument-kind-roadmap = Roadmap
instrument-kind-guidelines = Guidelines
instrument-kind-code = Code
category-fundamental = Fundamental
category-governance = Governance
category-technical = Technical
convention-kind-convention = Convention
convention-kind-protocol = Protocol
event-ratified = Ratified
event-in_force = Entered into force
event-denounced = Denounced
standing-ratified = Ratified
standing-denounced = Denounced
standing-not_ratified = Not ratified

account-sign-in = Sign in
account-sign-out = Sign out
account-signed-in-as = Signed in as { $value }
sign-in-title = Sign in
sign-in-lead = For ASEAN Secretariat officers, body secretariats, focal points and validators. The public needs no account to read what Tripart publishes.
sign-in-email = E-mail
sign-in-password = Password
sign-in-submit = Sign in
sign-in-wrong = The e-mail or the password is not right.
sign-in-throttled = Too many failed attempts. Wait fifteen minutes and try again.
sign-in-expired = The form had expired. Please sign in again.

date-instant = { $date }, { $time } UTC

## Administration
nav-admin-label = Administration
nav-admin-users = Users
nav-admin-audit = Audit trail
role-admin = Administrator
role-body_secretariat = Body secretariat
role-focal_point = Focal point
role-validator = Validator
role-social_partner = Social partner (employers, workers, civil society)
user-status-active = Active
user-status-disabled = Disabled
users-title = Users and roles
users-lead = Who may sign in to Tripart, and what each person may do. Changes take effect at once and are recorded in the audit trail.
users-count = { $n ->
    [one] { $n } user
   *[other] { $n } users
}
users-email = E-mail
users-display-name = Name
users-password = Password
users-new-password = New password
users-password-hint = At least 12 characters. Resetting it signs the person out everywhere.
users-role = Role
users-roles = Roles
users-choose-role = Choose a role
users-body = Body
users-member-state = Member state
users-none = None
users-scope-hint = A body secretariat needs a body; a focal point a member state; a social partner its organisation; a validator may have a body; an administrator none of them.
users-partner = Organisation
users-status = Status
users-created = Created
users-manage = Manage
users-no-role = No role
users-add-role = Add a role
users-reset-password = Reset the password
users-revoke-sessions = Sign out everywhere
users-new = New user
users-create = Create the user
users-problem = Please correct “{ $value }”:
users-not-found = There is no user “{ $value }”.
users-done-created = The account of { $value } was created.
users-done-granted = { $value } has a new role.
users-done-password = The password of { $value } was reset, and their sessions ended.
users-done-revoked = Every session of { $value } has ended.
audit-title = Audit trail
audit-lead = Every change to Tripart: who made it, when, through which channel, and the values before and after. Newest first.
audit-record-type = Record type
audit-record-id = Record id
audit-actor = Who
audit-operation = Operation
audit-from = From (on or after)
audit-to = Before
audit-csv = Download what matches as CSV
audit-none = No event matches these filters.
audit-caption = Audit events, newest first
audit-when = When
audit-channel = Channel
audit-record = Record
audit-note = Note
audit-changes = What changed
audit-empty = (empty)
audit-became = became
channel-web = Web
channel-api = API
channel-cli = Command line
channel-system = System
operation-create = Created
operation-update = Updated
operation-retire = Retired
operation-unretire = Brought back
operation-purge = Purged
operation-grant = Role granted
operation-reset_password = Password reset
operation-revoke_sessions = Sessions ended
operation-sign_in = Signed in
operation-sign_out = Signed out
operation-create_token = API token created
record-type-action = Action
record-type-programme = Programme
record-type-node = Programme section
record-type-meeting = Meeting
record-type-recommendation = Recommendation
record-type-body = ASEAN body
record-type-partner = Partner
record-type-member_state = Member state
record-type-convention = ILO convention
record-type-ratification = Ratification
record-type-ratification_snapshot = Ratification snapshot
record-type-instrument = ASEAN instrument
record-type-glossary = Glossary entry
record-type-indicator = Indicator
record-type-action_line = Action line
record-type-pillar_concern = Pillar concern
record-type-user = User
record-type-progress_update = Progress update
record-type-annual_report = Annual report
record-type-annual_report_narrative = Annual report narrative
record-type-checklist_template = Checklist template
record-type-checklist_response = Checklist
record-type-programme_review = Programme review
operation-submit = Submitted
operation-return = Returned
operation-accept = Accepted
operation-publish = Published

## Monitoring: outputs, reports, checklist, dashboards
output-kind-meeting = Meetings held
output-kind-outreach = Stakeholder outreach
output-kind-training = Trainings delivered
output-kind-decision = Decisions issued
output-kind-practice = Country practices modified
report-title = Annual progress report { $year }
report-accepted-on = Accepted on { $date }
report-status-not-started = Not started
report-status-draft = Draft
report-status-submitted = Submitted to SLOM
report-status-returned = Returned for changes
report-status-accepted = Accepted
report-event-created = Opened
report-event-submitted = Submitted
report-event-returned = Returned
report-event-accepted = Accepted
checklist-category-data-information-statistics = Data, information and statistics
checklist-category-laws-standards-policies = Laws, standards and policies
answer-yes = Yes
answer-no = No
dashboard-title = Dashboard
dashboard-overdue = Overdue
dashboard-overdue-rule = Overdue: the calendar has passed, the action is not completed, and it had no progress update for { $days } days.
timeline-title = Timeline of actions and meetings
timeline-meetings = Meetings
timeline-undated = { $count } actions have no dated calendar ("on-going", "T.B.C.", "annual") and are not drawn.
changes-title = What changed since { $since }
changes-updates = Progress updates
changes-meetings = Meetings
changes-actions = Actions created or edited
changes-reports = Annual reports accepted

## Words of the downloaded documents (PDF, Excel, CSV)
doc-contents = Contents
doc-summary = Summary
doc-actions_by_status = Actions by status
doc-outputs = Outputs
doc-meetings = Meetings
doc-checklist = Output checklist
doc-history = History of this report
doc-none = None recorded.
doc-demonstration = Demonstration data — not official figures
doc-report_to = Report to the
doc-generated_on = Generated on
doc-page = Page
doc-of = of
doc-actions_total = Actions followed
doc-status = Status
doc-actions = Actions
doc-share = Share
doc-output = Output
doc-number = Number
doc-participants = Participants
doc-female = Female
doc-male = Male
doc-total = Total
doc-area = Thematic area
doc-label = No.
doc-action = Action
doc-calendar = Calendar
doc-updates = Updates
doc-no_updates = No update recorded this year.
doc-date = Date
doc-by = By
doc-title = Title
doc-quantity = Quantity
doc-links = Links
doc-files = Files
doc-host = Host
doc-recommendations = Recommendations
doc-question = Question
doc-answer = Answer
doc-comment = Comment
doc-version = version
doc-at = When
doc-who = Who
doc-event = Event
doc-introduction = Introduction
doc-other_actions = Other actions
doc-narrative = Narrative
doc-overdue = Overdue
doc-id = Id
doc-programme = Programme
doc-last_update = Last update

## Monitoring pages: progress, meetings recorded, reports, checklist, reviews, dashboard
nav-dashboard = Dashboard
nav-reports = Reports
home-dashboard = Dashboard: where the actions stand
home-changes = What changed since the last SLOM
home-reports = Annual progress reports
scope-dashboard = Dashboard of these actions
form-problem = Please correct “{ $value }”:
field-reported_on = Date
field-status = Status
field-narrative = Narrative
field-outputs = Output
field-kind = Kind
field-quantity = Quantity
field-title = Title
field-participants_female = Women
field-participants_male = Men
field-links = Link
field-label = Label
field-url = Address (URL)
field-files = File
field-body = Body
field-host = Host member state
field-city = City
field-start = Start
field-end = End
field-theme = Theme
field-participants = Participating member states
field-implements = Actions it implements
field-documents = Documents
field-recommendations = Recommendations adopted
field-year = Year
field-comment = Comment
field-programme = Programme
field-rating = Rating
field-findings = Findings
field-node = Thematic area or key result area
field-calendar = Calendar
field-version = Version
field-area = Thematic area
field-text = Text
field-value = Answer
field-answers = Answers
field-evidence = Evidence
field-evidence_url = Evidence
field-evidence_label = Evidence
field-summary = Summary
field-meeting = Meeting
field-member_state = Member state
field-template = Template
field-recommendation = Recommendation
progress-title = Progress
progress-done-update = Your progress update was recorded.
progress-continues = This action continues, from an earlier plan:
progress-continued-by = It is continued, in a later plan, by:
progress-none = No progress has been recorded on this action yet.
progress-earlier-plan = Reported on the action of the earlier plan:
progress-meeting = Meeting:
progress-outputs = Outputs
progress-links = Links
progress-files = Evidence files
progress-by = Reported by { $value }
progress-record = Record progress
progress-record-hint = A meeting held is recorded once, with its participants and recommendations, and counts as an output of every action it implements:
progress-record-meeting = record a meeting instead
progress-keep-status = Keep the current status
progress-outputs-hint = Meetings held, stakeholder outreach, trainings delivered, decisions issued and country practices modified. Leave a row empty if it has nothing.
progress-files-hint = PDF, Word, Excel, PowerPoint, OpenDocument or images (PNG, JPEG, GIF, WebP), at most 8 MB each. After a problem with the form, choose the files again.
progress-submit = Record the update
progress-sign-in = to record progress (focal points of the coordinating member states and the secretariats of the responsible bodies).
meeting-new-title = Record a meeting
meeting-new-lead = A meeting held by a body: who took part, the actions it implements (each gets the meeting as an output and moves to on-going), its documents and the recommendations it adopted.
meeting-new-no-body = Recording a meeting needs the role of a body's secretariat.
meeting-new-implements-hint = One action id per line, as in the address of the action's page (for example slom-wg-wp-2011-2015.2.1.b).
meeting-new-recommendations-hint = One recommendation per line. A leading number such as “1.” or “2.a” is kept as its number; otherwise they are numbered in order.
meeting-new-submit = Record the meeting
meeting-done-recorded = The meeting was recorded, with an update on each action it implements.
meeting-documents = Documents
reports-title = Annual progress reports
reports-lead = Each subsidiary body reports every year to the Senior Labour Officials Meeting on its work plan: the year's progress updates, outputs, meetings and checklist, with a narrative per thematic area. Accepted reports are public.
reports-start = Start or open the { $value } report
reports-open = Open the report
reports-list = Reports
reports-none = No report has been started yet.
reports-none-public = No report has been accepted yet. Reports in preparation are visible to their body and to SLOM after signing in.
reports-updated = Last changed
report-page-title = Annual progress report { $value }
report-status-label = Status:
report-to = to the
report-assembled = assembled { $value }
report-done-saved = The narratives were saved.
report-done-submitted = The report was submitted to SLOM.
report-done-returned = The report was returned to the body with your comment.
report-done-accepted = The report was accepted. It is now frozen and public.
report-returned-heading = Returned for changes
report-download-pdf = Download as PDF
report-download-xlsx = Download as Excel
report-checklist-link = The output-level checklist
report-edit-hint = Write the introduction and a narrative per thematic area below; one Save button saves them all. The tables come from the progress updates and meetings recorded for the year.
report-narrative-intro = Introduction
report-save-narratives = Save the narratives
report-no-narrative = No narrative.
report-no-checklist = The body has not started the checklist for this year.
report-submit-heading = Submit to SLOM
report-submit-hint = Save the narratives first. Once submitted, the report waits for SLOM, which accepts it or returns it with a comment.
report-submit = Submit the report
report-decide-heading = Decide on the report
report-return-hint = Say what the body should change: the comment is shown at the top of the report.
report-return = Return the report
report-accept-hint = Accepting freezes the report as it stands and publishes it.
report-accept = Accept the report
checklist-answered = { $value } answered
checklist-status-draft = Draft
checklist-status-submitted = Submitted
checklist-page-title = Output-level checklist { $value }
checklist-lead = The scorecard of the 2016-2020 Work Programme: what the body's work produced in data, information and statistics, and in laws, standards and policies. Every save keeps the earlier answers.
checklist-revision = revision { $value }
checklist-done-saved = The answers were saved.
checklist-done-submitted = The checklist was saved and submitted.
checklist-no-template = The ASEAN Secretariat has not published a checklist template yet.
checklist-no-answer = No answer
checklist-revisions = { $n ->
    [one] One answer given
   *[other] { $n } answers given, oldest first
}
checklist-revision-col = Revision
checklist-submit-hint = Save keeps a draft; “Save and submit” marks the checklist complete for the report. It can still be corrected until the report is accepted.
checklist-save = Save
checklist-save-submit = Save and submit
checklist-not-yours = You may not read the unpublished checklist of { $value }.
checklists-title = Output-level checklists
checklists-lead = The checklists of the bodies side by side: every question of the template against the bodies for one year, or one body across the years.
checklists-hint = Choose a body to compare its years. The questions come from the templates of the ASEAN Secretariat:
checklists-none = No checklist you may read matches.
checklists-caption-body = { $value } across the years
checklists-caption-year = The bodies in { $value }
checklists-completion = Answered
templates-title = Checklist templates
templates-lead = The templates the ASEAN Secretariat drafts for the output-level checklist. A published template never changes; bodies complete the newest published one, and a new version is a new template.
templates-drafting = The Secretariat drafts a new version through the API:
templates-done-published = The template was published. Bodies starting their checklist now get it.
templates-published-on = published { $value }
templates-drafted-on = drafted { $value }, not published
templates-publish-hint = Publishing freezes the template: bodies that start their checklist from now on complete it.
templates-publish = Publish { $value }
templates-key = Key
templates-answer-type = Answer
templates-guidance = Guidance
template-status-draft = Draft
template-status-published = Published
template-not-found = There is no checklist template “{ $value }”.
answer-type-yes_no = Yes or no
answer-type-level = A level
answer-type-number = A number
answer-type-text = Text
reviews-title = Programme reviews
reviews-lead = SLOM reviews the Work Programme every two and a half years: findings and a rating per key result area or strategic priority, and recommendations that become actions of the next plan.
reviews-open = Open a review
reviews-open-submit = Open the review
reviews-none = No review yet.
reviews-due = due { $value }
review-kind-mid_term = Mid-term review
review-kind-final = Final review
review-status-draft = In progress
review-status-final = Final
review-programme-link = The programme
review-done-opened = The review is open.
review-done-saved = The review was saved.
review-done-adopted = The recommendation is now an action of the chosen plan.
review-findings = Findings by outcome area
review-no-areas = This programme has no key result areas or strategic priorities to rate.
review-not-rated = Not rated
rating-achieved = Achieved
rating-largely_achieved = Largely achieved
rating-partly_achieved = Partly achieved
rating-not_achieved = Not achieved
rating-too_early = Too early to say
review-evidence-label = Evidence: label
review-evidence-url = Evidence: address (URL)
review-evidence = Evidence
review-summary = Summary
review-add-recommendations = Add recommendations
review-recommendations-hint = New recommendations, one per line
review-finalise = Mark the review final (no more changes)
review-save = Save the review
review-recommendations = Recommendations
review-adopted-as = Carried out by the action
review-adopt = Make it an action of a plan
review-adopt-title-hint = The recommendation's text
review-adopt-submit = Create the action
review-not-found = There is no review “{ $value }”.
dashboard-lead = Where the actions stand, which are overdue, their timeline and the meetings to come, for all programmes or the scope you choose. Everything here is public and can be downloaded.
dashboard-member-state = Coordinating member state
dashboard-area = Thematic area
dashboard-stale-days = Overdue after (days without update)
dashboard-as-of = As of
dashboard-download-csv = Actions as CSV
dashboard-download-xlsx = Dashboard as Excel
dashboard-download-svg = Timeline as SVG
dashboard-changes-link = What changed since the last SLOM
dashboard-as-of-line = On { $value }:
dashboard-overdue-count = overdue
dashboard-stale-rule = Overdue: the calendar has passed, the action is not completed, and it had no progress update for { $n } days.
dashboard-no-overdue = No action is overdue.
dashboard-never = never
dashboard-upcoming = Meetings to come
dashboard-no-upcoming = No meeting to come is recorded.
changes-page-title = What changed since { $value }
changes-lead-slom = By default since the last Senior Labour Officials Meeting, on { $value }.
changes-lead = Progress updates, meetings, edited actions and accepted reports since the date you choose.
changes-since = Since
changes-digest = The same as plain text, for an e-mail

## The progress paper on a cycle's recommendations (PDF and Word)
paper-title = Progress in implementing the recommendations
paper-subtitle = Recommendations of { $meeting }
paper-status-line = Reported to the { $to }
paper-status-line-due = Reported to the { $to }; reports were due by { $due }
paper-contents = Contents
paper-summary = Summary
paper-recommendations = Recommendations and their implementation
paper-progress = Progress since the previous cycle
paper-member-state = Member state
paper-status = Status
paper-voice = Reported by
paper-narrative = What was reported
paper-evidence = Evidence
paper-no-information = No information from
paper-carried = Carried forward from an earlier meeting: not yet reported implemented everywhere.
paper-previously = previously
paper-none = None recorded.
paper-generated-on = Generated on
paper-page = Page
paper-of = of
paper-from = From
paper-to = To
paper-recommendation = Recommendation

## Follow-up of recommendations (issue 6)
nav-followup = Follow-up
followup-title = Follow-up of recommendations
followup-lead = Each reporting cycle follows up a meeting's recommendations: every member state's government reports how far each is implemented, and the employers', workers' and civil-society organisations add their own view.
followup-no-cycles = No reporting cycle has been opened yet.
followup-cycles-caption = Reporting cycles, newest first
followup-col-cycle = Cycle
followup-col-opened = Opened
followup-col-missing = Not reported
followup-col-voice = Voice
followup-col-reported = Reported
followup-close = Close the cycle
followup-open = Open a reporting cycle
followup-open-submit = Open the cycle
followup-done-opened = The reporting cycle was opened.
followup-done-closed = The reporting cycle was closed.
followup-done-reported = Your report was recorded.
followup-paper = Progress paper:
followup-legend = Legend of the implementation statuses
followup-legend-carried = status carried forward from an earlier cycle
followup-matrix-caption = Implementation of each recommendation in each member state, as its government reports it
followup-carried-from = Carried forward from { $value }
followup-report-count = { $n ->
    [one] 1 report
   *[other] { $n } reports
}
followup-revision = revision { $value }
followup-not-reported = Who has not reported yet
followup-all-reported = All reported
followup-cell-title = Recommendation { $value }
followup-cell-status = Status:
followup-current = Current reports
followup-no-reports = Nothing has been reported yet.
followup-history = Every report and revision
followup-report = Report on this recommendation
followup-report-submit = Record the report
followup-country-title = Follow-up of recommendations
followup-country-link = Every report on the recommendations, by reporting cycle
meeting-followup-link = Follow-up of these recommendations
cycle-not-found = There is no reporting cycle “{ $value }”.
cycle-cell-not-found = This cycle has no cell “{ $value }”.
cycle-status-open = Open
cycle-status-closed = Closed
voice-government = Government
voice-employers = Employers
voice-workers = Workers
voice-civil_society = Civil society
impl-status-no_information = No information
impl-status-not_started = Not started
impl-status-in_progress = In progress
impl-status-partially_implemented = Partially implemented
impl-status-implemented = Implemented
impl-status-not_applicable = Not applicable
impl-abbr-no_information = ?
impl-abbr-not_started = NS
impl-abbr-in_progress = IP
impl-abbr-partially_implemented = PI
impl-abbr-implemented = I
impl-abbr-not_applicable = N/A
field-reported_to = Reported to
field-due_on = Due on
field-speaker = Reporting for
field-convention = Convention
field-event = Event
field-date = Date
field-from = From
field-to = To
field-source_document = Source document
field-source_reference = Reference or link
field-cycle = Reporting cycle
field-voice = Voice
field-partner = Organisation
ratification-record-title = Record a ratification event
ratification-record-lead = A new ratification, entry into force or denunciation, with where it is recorded. Nothing is edited in place: a correction is another event with its source.
ratification-record-submit = Record the event
ratification-record-not-yours = Only the ASEAN Secretariat records ratification events.
ratification-done-recorded = The ratification event was recorded.
ratification-event-ratified = Ratified
ratification-event-in_force = Entered into force
ratification-event-denounced = Denounced
ratification-changes-title = What changed between two dates
ratification-changes-count = { $n ->
    [one] 1 event
   *[other] { $n } events
}
ratification-no-changes = No ratification event between these dates.
ratification-matrix-at = The matrix on { $value }
ratification-gaps = Conventions not ratified
ratification-gaps-lead = Per member state, the conventions of the matrix it had not ratified (or had denounced) on { $value }.

# Follow-up: themes across meetings, and a recommendation's links
followup-themes-link = Themes: similar recommendations followed across meetings
followup-themes-title = Themes
followup-themes-lead = A theme groups similar recommendations adopted by different meetings, so that their implementation can be followed together.
followup-no-themes = No theme has been created yet.
followup-theme-new = Create a theme
followup-theme-description = Description
followup-theme-recommendations = Recommendations
followup-theme-recommendations-hint = The ids of the recommendations, one per line.
followup-theme-listed = Recommendation { $value } in the list
followup-theme-create = Create the theme
followup-done-theme = The theme was created.
followup-theme-recs = Its recommendations
followup-theme-caption = Where each member state stands on each recommendation of the theme: the government's latest report, in any cycle
followup-other-voices = { $n ->
    [one] { $n } other voice
   *[other] { $n } other voices
}
theme-not-found = There is no theme “{ $value }”.
followup-links = Thematic areas, SDG targets and themes
followup-links-none = None
followup-links-areas-hint = The ids of programme nodes (thematic areas), one per line.
followup-links-targets-hint = Separated by commas, such as 8.7, 10.7, 16.b.
followup-links-submit = Save the links
followup-done-linked = The links were saved.
field-thematic_areas = Thematic areas
field-sdg_targets = SDG targets

# Data workflow pages
dw-nav = Submit and review data
dw-wf-problems = Please correct the following
dw-submit-title = Submit labour-market and OSH data
dw-submit-lead = Choose your country and the year, then send the pre-filled Excel template or another file, or type the values in the form below. A file or form is taken whole or not at all.
dw-submit-done-sent = The values were sent to the validators.
dw-submit-done-none-sent = There was no draft or corrected value to send.
dw-submit-rejected = Nothing was stored
dw-submit-rejected-lead = { $n ->
    [one] The data were refused because of 1 problem. Correct it and send the data again.
   *[other] The data were refused because of { $n } problems. Correct them and send the data again.
}
dw-submit-rejected-caption = Every problem, by line (or row of the form) and field
dw-submit-report = The data were taken
dw-report-observations = Values received
dw-report-new = New
dw-report-revised = Revised
dw-report-unchanged = Unchanged
dw-report-format = Format
dw-report-warnings = Warnings kept for the validators
dw-submit-choose = Show
dw-submit-file = Send a file
dw-submit-template = Download the pre-filled Excel template
dw-submit-file-lead = The template filled in, ILOSTAT bulk CSV, SDMX-CSV or the World Bank's WDI CSV.
dw-submit-upload = Upload
dw-submit-send = Send to the validators
dw-submit-unsent = { $n ->
    [0] No value is waiting to be sent.
    [one] 1 draft or corrected value is waiting to be sent.
   *[other] { $n } draft or corrected values are waiting to be sent.
}
dw-submit-send-button = Submit drafts to validators
dw-submit-entry = Enter the values
dw-submit-entry-lead = One row per value asked for, with what is held now. Leave a row empty to send nothing for it; a value you cannot give needs a status (N not available, C confidential).
dw-submit-save = Save the values
dw-field-ref_area = Country
dw-field-time = Year or period
dw-field-time-hint = 2024, or a quarter (2024Q1) or a month (2024M01).
dw-field-file = File
dw-field-reason = Reason (kept with every revision)
dw-field-send-now = Send to the validators now
dw-field-status-hint = Status: P provisional, E estimate, B break in series, N not available, C confidential.
dw-field-evidence = Evidence
dw-field-comment = Comment to the focal point
dw-field-comment-hint = Required to return values: say what is wrong.
dw-field-label = Release
dw-field-note = Note
dw-field-from = From vintage
dw-field-to = To vintage
dw-col-line = Line
dw-col-field = Field
dw-col-reason = Problem
dw-col-indicator = Indicator
dw-col-rule = Rule
dw-col-value = Value
dw-col-status = Status
dw-col-state = Where it stands
dw-col-select = Select
dw-col-time = Period
dw-col-warnings = Warnings
dw-col-vintage = Vintage
dw-col-published = Published
dw-col-values = Values
dw-col-breakdown = Breakdown
dw-col-before = Before
dw-col-after = After
dw-col-check = Check
dw-col-parameters = Thresholds
dw-col-severity = Severity
dw-col-enabled = On
dw-state-draft = Draft
dw-state-submitted = Submitted
dw-state-returned = Returned
dw-state-validated = Validated
dw-state-published = Published
dw-any = Any
dw-filter = Filter
dw-review-title = Review submitted data
dw-review-lead = The values the focal points sent, by country and indicator, with the warnings the rules raised. Validate them, or return them with a comment; then publish the validated values as a new vintage.
dw-review-done-validated = The values were validated.
dw-review-done-returned = The values were returned to the focal points with your comment.
dw-review-done-none = None of the ticked values could take that step.
dw-review-empty = No value is waiting for review.
dw-review-partial = { $n } values match: the first 500 are listed. Choose a country or an indicator to see the others.
dw-review-values = Values to act on
dw-review-validate = Validate selected
dw-review-return = Return selected with the comment
dw-review-all = All values that match the filter
dw-review-all-lead = Validates every submitted value of the chosen country and indicator (of every country and indicator, without a filter), listed on this page or not, warnings included: read the warnings first.
dw-review-validate-all = Validate all { $n } values waiting that match the filter
dw-review-publish = Publish
dw-review-publish-lead = Every validated value becomes public in a new numbered, dated vintage.
dw-review-publish-button = Publish a new vintage
dw-vintages-title = Published vintages
dw-vintages-lead = Each publication of data is a numbered, dated vintage. Any two can be compared.
dw-vintages-done-published = The vintage was published.
dw-vintages-none = Nothing has been published yet.
dw-vintages-caption = Vintages, newest first
dw-vintages-compare = What changed between two vintages
dw-vintages-nothing = 0: before any publication
dw-vintages-compare-button = Compare
dw-vintages-no-change = Nothing changed for this indicator between these vintages.
dw-vintages-changes = Values of { $value } added or revised
dw-vintages-new = new
dw-rules-title = Validation rules
dw-rules-lead = Every submission is checked against these rules. An error refuses the file or form; a warning lets the value in and flags it for the validators. The Secretariat sets them.
dw-rules-done-saved = The rule was saved.
dw-rules-caption = The rules in force
dw-rules-change = Change a rule
dw-rules-save = Save
dw-rule-on = On
dw-rule-off = Off
dw-rule-not-found = There is no rule “{ $value }”.
dw-check-range = Within a range
dw-check-not-above = Not above
dw-check-adds-up = Adds up
dw-check-change = Change from the previous period
dw-param-min = Minimum
dw-param-max = Maximum
dw-param-tolerance = Tolerance (relative)
dw-param-percent = Levels: percent
dw-param-points = Rates: points
dw-param-default = the measure's own
dw-severity-error = Error: refuses the data
dw-severity-warning = Warning: flags the value

# Data pages (public)
nav-data = Data
data-title = Labour-market and OSH data
data-lead = The indicators the ASEAN member states report each year on the ILO's conventions: the common indicators of the labour market information systems, employment by economic activity, youth not in employment, education or training, labour productivity, and occupational safety and health. Only published figures are shown.
data-asean-note = The ASEAN figure is not an average of the states' rates: it is the ratio of the sums of the numerators and denominators of the member states that reported (levels simply add up), and it always says which states it covers and which are missing.
data-scorecard-link = The ASEAN-OSHNET scorecard
data-col-indicator = Indicator
data-col-breakdown = Shown for
data-col-asean-latest = Latest ASEAN figure
data-col-coverage = Coverage
data-col-code = ILOSTAT code
data-col-name = Name
data-col-unit = Unit
data-no-asean = No ASEAN figure
data-measures = Measures
data-measures-caption = The measures Tripart collects, with their ILOSTAT codes (TRP_ codes are Tripart's own, for items no ILO measure covers)
data-series-by = { $name }, by { $dims }
data-dim-sex = sex
data-dim-age = age
data-dim-geo = area
data-dim-eco = economic activity
data-dim-ins = institutional sector
data-dim-mig = migratory status
data-asean = ASEAN
data-period = Period
data-year = Year
data-show = Show
data-nothing-published = Nothing has been published for this yet.
data-asean-in = ASEAN figure, { $value }
data-coverage = Coverage
data-coverage-count = { $included } of { $total } member states
data-coverage-missing = missing: { $value }
data-reason-not-reported = not reported
data-reason-no-denominator = no denominator to weight by
data-downloads = Download the data
data-download-csv = CSV (ILOSTAT)
data-download-xlsx = Excel
data-download-sdmx = SDMX-CSV
data-download-svg = the chart (SVG)
data-see-table = The figures are in the table.
data-over-time = Over time
data-chart-line-caption = A line per member state; the ASEAN figure is the thick black line with square markers.
data-chart-line-desc = { $name } ({ $breakdown }) over time: one line per member state that reported, and the ASEAN figure. The same figures are in the data table below the charts.
data-benchmark = Benchmarking, { $value }
data-direction-higher = Higher is better: the states are ranked from the highest value, and the distance to the best is to the highest.
data-direction-lower = Lower is better: the states are ranked from the lowest value, and the distance to the best is to the lowest.
data-direction-none = The states are ranked from the highest value; neither direction is better in itself.
data-chart-bars-title = { $name }, { $time }: the member states ranked
data-chart-bars-desc = A bar per member state that reported { $name } for { $time }, best first, and the ASEAN figure in black. { $direction }
data-bench-caption = The member states in { $value }: rank, value, distance to the regional best and to the ASEAN figure, and change since the previous period and over five years
data-col-rank = Rank
data-col-state = Member state
data-col-value = Value
data-col-to-best = Distance to the best
data-col-to-asean = Difference from ASEAN
data-col-change-previous = Change since the previous period
data-col-change-5y = Change over five years
data-map = Map, { $value }
data-chart-map-title = { $name }, { $time }, by member state
data-chart-map-desc = A map of the ASEAN member states shaded by their value, darker for higher; states without a value are hatched grey. The values are in the benchmarking table.
data-map-class = { $from } to { $to }
data-no-data = No data
data-by-state = Each member state
data-chart-multiples-title = { $name }: each member state
data-chart-multiples-desc = One small chart per member state on the same scale, each with the ASEAN figure as a black line. The figures are in the data table.
data-table = The data
data-table-caption = Flags: P provisional, E estimate, B break in series, U unreliable.
data-answers = Answers
data-answers-caption = Each member state's latest answer, with its evidence
data-distribution-caption = Member states at each level, { $value }
data-col-level = Level
data-col-states = Member states
data-col-answer = Answer
data-col-evidence = Evidence
data-indicator-not-found = There is no indicator “{ $value }”: the code must be an ILOSTAT indicator code of a series Tripart collects, such as UNE_DEAP_SEX_AGE_RT.
data-chart-not-found = There is no chart “{ $value }”: line.svg, ranking.svg, multiples.svg or map.svg.
data-no-chart = This indicator has no chart: nothing is published for it, or its values are words.
data-country-title = { $value }: labour-market and OSH data
data-country-lead = The latest published value of each indicator, beside the ASEAN figure of the same period and the state's rank among the member states. More about
data-country-caption = { $value }: the latest published value of each indicator
data-col-trend = Trend
data-values = Values
data-rank-of = { $rank } of { $total }
data-qualitative = Scorecard items
data-qualitative-caption = The qualitative items of the ASEAN-OSHNET scorecard: the level or answer, and its evidence
data-scorecard-title = ASEAN-OSHNET scorecard
data-scorecard-lead = The items of the scorecard of the Plan of Action on Revitalising ASEAN-OSHNET: fatal injuries, inspection, and the items without an ILO series, for each member state and for ASEAN.
data-scorecard-numbers = Figures
data-scorecard-caption = The scorecard's figures for { $value }, by member state, with the ASEAN figure
data-scale-caption = Each member state's level, { $value }
data-no-answers = No answer has been published.

# Data reports
## The yearly reports on published data: labour market performance and the ASEAN-OSHNET scorecard (PDF and page)

datarep-lm-title = ASEAN report on labour market performance { $year }
datarep-lm-subtitle = The seven common labour market indicators of the Workshop on the Development of LMIS in ASEAN, from the member states' published data
datarep-lm-intro = The 2010-2015 Work Programme asks for an ASEAN report on labour market performance based on an agreed set of labour sector variables; these are the seven common indicators adopted by the LMIS workshop, on the ILO's definitions. For each indicator: the ASEAN figure with the member states it covers and those missing, each member state's value, its rank and its change from the previous year, and values by sex where they were published.
datarep-osh-title = ASEAN-OSHNET scorecard { $year }
datarep-osh-subtitle = Plan of Action on Revitalising ASEAN-OSHNET, initiative 7.1 and Appendix 3, from the member states' published data
datarep-osh-intro = The scorecard of initiative 7.1 on the items of Appendix 3: fatal occupational injuries, economic losses, inspections and inspectors, OSH management systems, training and safety professionals, and the qualitative items. Figures are given per member state and for ASEAN where adding up is meaningful; qualitative items show the level each member state reported on its scale, how many states stand at each level, and the answers in words with their evidence.
datarep-method-rates = Definitions are the ILO's (resolutions of the International Conference of Labour Statisticians, as in ILOSTAT). The ASEAN figure of a rate is the ratio of sums: the sum of the numerators over the sum of the denominators of the member states that reported both, so each state weighs by its size; it is not the mean of the states' rates.
datarep-method-weighted = Where a member state published only the rate and its denominator, it enters as rate × denominator, which is the same as weighting its rate by the denominator; the figure then says it is weighted by the denominator. Output per worker, whose numerator is not collected, is always weighted by employment.
datarep-method-levels = Levels (persons, inspections) are added up over the member states that reported; missing states are not estimated, so a figure covers only the states listed with it. Amounts in national currencies are not added up.
datarep-method-scales = Qualitative items on a scale are not averaged: the ASEAN figure is how many member states stand at each level. Answers in words are shown as given, with their evidence.
datarep-unit-scaled = { $power ->
    [3] thousands of { $unit }
    [6] millions of { $unit }
   *[other] { $unit } × 10^{ $power }
}
datarep-coverage-count = { $n } of { $total } member states
datarep-reason-not-reported = not reported
datarep-reason-no-denominator-to-weight-by = no denominator to weight by
datarep-contents = Contents
datarep-summary = Summary
datarep-indicator = Indicator
datarep-item = No.
datarep-asean = ASEAN
datarep-coverage = Coverage
datarep-included = In the figure
datarep-missing = Missing
datarep-member-state = Member state
datarep-value = Value
datarep-rank = Rank
datarep-previous = Previous year
datarep-change = Change
datarep-male = Male
datarep-female = Female
datarep-source = Source
datarep-status = Status
datarep-note = Note
datarep-definition = Definition
datarep-unit = Unit
datarep-series = Series
datarep-method = ASEAN figure
datarep-methods = Definitions and method
datarep-sources = Data sources
datarep-no-data = No data have been published for this year.
datarep-not-reported = not reported
datarep-not-aggregated = Not aggregated
datarep-level = Level
datarep-levels = Level name
datarep-states = Member states
datarep-answer = Answer
datarep-evidence = Evidence
datarep-demonstration = Demonstration data — not official figures
datarep-generated-on = Generated on
datarep-page = Page
datarep-of = of
datarep-from-levels = computed from the published levels (the rate itself was not published)
datarep-rank-note = Rank 1 is the highest value.
datarep-change-note = Change is from the previous year, in the unit shown (percentage points for percentages).
datarep-download-pdf = Download as PDF
datarep-no-data-page = Nothing has been published for { $value } yet: this report will fill in as member states' data for { $value } are validated and published.
datarep-bad-year = There is no report for “{ $value }”: give a year, such as 2024.
datarep-distribution = Member states at each level
datarep-answers = Answers
datarep-by-state = Each member state
datarep-other-years = Other years
