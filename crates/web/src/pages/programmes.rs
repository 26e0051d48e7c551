//! Programmes and work plans: the list, and one programme as its document lays
//! it out (structure nodes, their actions, the activities under each action).

use super::{failure, found, path_slug, render, Layout};
use crate::error::ApiError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::collections::HashMap;
use tripart_storage::read::{self, Action, ActionAside, ActionFilter, Node, Paging, Programme, ProgrammeDetail};

/// Short names of bodies by id (the abbreviation where there is one).
pub struct BodyNames(HashMap<String, String>);

impl BodyNames {
    pub async fn load(s: &AppState) -> Result<BodyNames, ApiError> {
        let bodies = read::bodies(&s.db, None).await?;
        Ok(BodyNames(bodies.into_iter().map(|b| (b.id, b.abbreviation.unwrap_or(b.name))).collect()))
    }
    pub fn name(&self, id: &str) -> String {
        self.0.get(id).cloned().unwrap_or_else(|| id.to_string())
    }
}

#[derive(Template)]
#[template(path = "programmes.html")]
struct ListPage {
    layout: Layout,
    programmes: Vec<Programme>,
    bodies: BodyNames,
}

pub async fn list(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, "/programmes").await;
    let data = async { Ok::<_, ApiError>((read::programmes(&s.db, None).await?, BodyNames::load(&s).await?)) };
    match data.await {
        Ok((programmes, bodies)) => render(&ListPage { layout, programmes, bodies }),
        Err(e) => failure(layout, e),
    }
}

/// An action with what the page shows beside it, and its activities.
pub struct ActionView {
    pub action: Action,
    pub aside: ActionAside,
    pub activities: Vec<ActionView>,
}

/// The structure tree, flattened for the template (which cannot recurse): a node
/// opens a list item that holds its actions and the list of its child nodes.
pub enum TreeItem {
    Open { node: Box<Node>, level: usize, actions: Vec<ActionView>, has_children: bool },
    Close { has_children: bool },
}

#[derive(Template)]
#[template(path = "programme.html")]
struct DetailPage {
    layout: Layout,
    p: ProgrammeDetail,
    tree: Vec<TreeItem>,
    /// Actions attached to no node of the structure.
    loose: Vec<ActionView>,
    bodies: BodyNames,
}

pub async fn detail(State(s): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let layout = Layout::new(&s, &headers, &format!("/programmes/{id}")).await;
    let data = async {
        let id = path_slug(&layout, "programme-not-found", &id)?;
        let p = found(read::programme(&s.db, &id).await?, &layout, "programme-not-found", &id)?;
        let filter = ActionFilter { programme: Some(id.clone()), ..Default::default() };
        let actions = read::actions(&s.db, &filter, Paging { limit: 1000, offset: 0 }).await?.items;
        let asides = read::programme_action_asides(&s.db, &id).await?;
        Ok::<_, ApiError>((p, actions, asides, BodyNames::load(&s).await?))
    };
    match data.await {
        Ok((p, actions, asides, bodies)) => {
            let (tree, loose) = build_tree(&p.nodes, actions, asides);
            render(&DetailPage { layout, p, tree, loose, bodies })
        }
        Err(e) => failure(layout, e),
    }
}

/// Groups the programme's actions under their nodes (activities under their
/// action) and flattens the node tree in document order.
fn build_tree(
    nodes: &[Node],
    actions: Vec<Action>,
    mut asides: HashMap<String, ActionAside>,
) -> (Vec<TreeItem>, Vec<ActionView>) {
    let mut activities: HashMap<String, Vec<ActionView>> = HashMap::new();
    let mut tops = Vec::new();
    for action in actions {
        let view = ActionView { aside: asides.remove(&action.id).unwrap_or_default(), action, activities: Vec::new() };
        match &view.action.parent {
            Some(parent) => activities.entry(parent.clone()).or_default().push(view),
            None => tops.push(view),
        }
    }
    let mut by_node: HashMap<String, Vec<ActionView>> = HashMap::new();
    let mut loose = Vec::new();
    let node_ids: std::collections::HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    for mut view in tops {
        view.activities = activities.remove(&view.action.id).unwrap_or_default();
        match view.action.node.clone().filter(|n| node_ids.contains(n.as_str())) {
            Some(node) => by_node.entry(node).or_default().push(view),
            None => loose.push(view),
        }
    }
    // Activities whose action is not in the list are shown rather than lost.
    for (_, orphans) in activities {
        for view in orphans {
            match view.action.node.clone().filter(|n| node_ids.contains(n.as_str())) {
                Some(node) => by_node.entry(node).or_default().push(view),
                None => loose.push(view),
            }
        }
    }
    let mut tree = Vec::new();
    let roots: Vec<&Node> =
        nodes.iter().filter(|n| n.parent.as_deref().is_none_or(|p| !node_ids.contains(p))).collect();
    for root in roots {
        push_node(root, nodes, 0, &mut by_node, &mut tree);
    }
    (tree, loose)
}

fn push_node(
    node: &Node,
    nodes: &[Node],
    depth: usize,
    by_node: &mut HashMap<String, Vec<ActionView>>,
    tree: &mut Vec<TreeItem>,
) {
    let children: Vec<&Node> = nodes.iter().filter(|n| n.parent.as_deref() == Some(node.id.as_str())).collect();
    let has_children = !children.is_empty() && depth < 8;
    tree.push(TreeItem::Open {
        node: Box::new(node.clone()),
        // The page's h1 and the structure's h2 come first; h6 is the deepest there is.
        level: (depth + 3).min(6),
        actions: by_node.remove(&node.id).unwrap_or_default(),
        has_children,
    });
    if has_children {
        for child in children {
            push_node(child, nodes, depth + 1, by_node, tree);
        }
    }
    tree.push(TreeItem::Close { has_children });
}
