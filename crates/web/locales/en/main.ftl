site-name = Tripart
skip-to-content = Skip to content
nav-label = Main
nav-home = Home
footer-sources = Every record cites the ASEAN or ILO document it comes from.
footer-api = The API and its OpenAPI document

error-title = Something went wrong
error-not-found = Page not found
error-database = The database did not answer. Please try again in a moment.
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
