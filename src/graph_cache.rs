//! The dependency graph kept in memory per instance, reloaded only when the database's graph
//! revision has moved (any instance's change bumps it), so pages get the graph for one cheap query.

use std::sync::Arc;

use sqlx::PgConnection;
use tokio::sync::RwLock;

use crate::db::catalogue::dependencies;
use crate::domain::graph::DependencyGraph;
use crate::state::AppState;

#[derive(Default)]
pub struct GraphCache {
    current: RwLock<Option<(i64, Arc<DependencyGraph>)>>,
}

impl GraphCache {
    /// The graph as of the database's current revision, read on one pooled connection that is
    /// held only for this call.
    pub async fn get(&self, state: &AppState) -> sqlx::Result<Arc<DependencyGraph>> {
        let mut conn = state.db.acquire().await?;
        self.get_with(&mut conn).await
    }

    /// The graph as of the revision seen on `conn`, which may be a transaction the caller holds
    /// (e.g. under the graph lock): nothing here waits for a second pooled connection, so a
    /// request holding a transaction cannot starve the pool (STYLE 16). Call it before the
    /// transaction changes the graph: what it loads is cached for every request.
    pub async fn get_with(&self, conn: &mut PgConnection) -> sqlx::Result<Arc<DependencyGraph>> {
        let revision = dependencies::graph_revision(&mut *conn).await?;
        if let Some((cached, graph)) = self.current.read().await.as_ref()
            && *cached == revision
        {
            return Ok(graph.clone());
        }
        let mut slot = self.current.write().await;
        // Re-read the revision after taking the lock: the load below must not be older than it.
        let revision = dependencies::graph_revision(&mut *conn).await?;
        if let Some((cached, graph)) = slot.as_ref()
            && *cached == revision
        {
            return Ok(graph.clone());
        }
        let (nodes, edges, redundant) =
            dependencies::load_graph_with_redundancy(&mut *conn).await?;
        let graph = Arc::new(DependencyGraph::with_redundancy(nodes, edges, &redundant));
        *slot = Some((revision, graph.clone()));
        Ok(graph)
    }
}
