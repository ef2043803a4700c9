//! The areas of a spec with their actions, in display order: the product's `areas` as listed,
//! then areas that actions name without the product listing them (a small spec need not list
//! any), then the actions with no area. Docs and indexes group actions this way.

use std::collections::BTreeMap;

use crate::load::Spec;
use crate::model::{AreaDef, Text};

/// One area and the names of its actions (in name order).
#[derive(Debug, Clone, PartialEq)]
pub struct AreaGroup<'s> {
    /// The area; for actions with no area, an area with the id `other`.
    pub area: AreaDef,
    /// Its actions' names.
    pub actions: Vec<&'s str>,
}

/// The id of the group of actions that name no area.
pub const OTHER: &str = "other";

impl Spec {
    /// Every area that has actions, in display order, each with its actions.
    pub fn areas(&self) -> Vec<AreaGroup<'_>> {
        let mut by_area: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
        for (name, a) in &self.actions {
            by_area.entry(a.area.as_deref()).or_default().push(name);
        }
        let mut out = Vec::new();
        for def in &self.product.areas {
            if let Some(actions) = by_area.remove(&Some(def.id.as_str())) {
                out.push(AreaGroup {
                    area: def.clone(),
                    actions,
                });
            }
        }
        let unlisted = by_area.remove(&None);
        for (id, actions) in by_area {
            let id = id.unwrap_or(OTHER).to_owned();
            out.push(AreaGroup {
                area: AreaDef {
                    title: Text::en(id.clone()),
                    id,
                    parent: None,
                },
                actions,
            });
        }
        if let Some(actions) = unlisted {
            out.push(AreaGroup {
                area: AreaDef {
                    id: OTHER.to_owned(),
                    title: Text::en("Other actions"),
                    parent: None,
                },
                actions,
            });
        }
        out
    }

    /// The title of the area `id` (its id when the product does not list it).
    pub fn area_title(&self, id: Option<&str>) -> Text {
        match id {
            None => Text::en("Other actions"),
            Some(id) => self
                .product
                .areas
                .iter()
                .find(|a| a.id == id)
                .map_or_else(|| Text::en(id), |a| a.title.clone()),
        }
    }
}
