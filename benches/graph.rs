//! The dependency graph on an estate the size the design promises to handle: 100 000 nodes and
//! 300 000 edges, shaped like a real catalogue (processes → services → components → sites, with
//! a few popular services and components that much of the estate leans on).

use std::hint::black_box;
use std::time::Duration;

use continuity::domain::graph::{DependencyGraph, NodeKind};
use continuity::domain::risk::exposure::{self, Bearing};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use uuid::Uuid;

const PROCESSES: usize = 10_000;
const SERVICES: usize = 20_000;
const COMPONENTS: usize = 69_900;
const SITES: usize = 100;

/// SplitMix64: deterministic, good enough to shape a test estate, and no new dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn uuid(&mut self) -> Uuid {
        Uuid::from_u64_pair(self.next(), self.next())
    }

    /// Uniform in `0..len`.
    fn below(&mut self, len: usize) -> usize {
        (self.next() % len as u64) as usize
    }

    /// In `0..len`, skewed towards 0 (the square of a uniform draw): a few popular targets.
    fn popular(&mut self, len: usize) -> usize {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((unit * unit * len as f64) as usize).min(len - 1)
    }
}

struct Estate {
    nodes: Vec<(Uuid, NodeKind)>,
    edges: Vec<(Uuid, Uuid)>,
    /// The process with the most direct needs.
    busy_process: Uuid,
    /// Another process: nothing depends on a process, so no edge to one closes a cycle.
    other_process: Uuid,
    /// The service with the most direct neighbours either way.
    busy_service: Uuid,
    /// The site most components run at.
    busy_site: Uuid,
}

/// Acyclic by construction: within a kind, an edge only goes to a later node of that kind, and
/// across kinds only down the chain process → service → component → site.
fn estate() -> Estate {
    let mut rng = Rng(0x00c0_ffee);
    let kinds = [
        (NodeKind::Process, PROCESSES),
        (NodeKind::Service, SERVICES),
        (NodeKind::Component, COMPONENTS),
        (NodeKind::Site, SITES),
    ];
    let nodes: Vec<(Uuid, NodeKind)> = kinds
        .iter()
        .flat_map(|&(kind, count)| std::iter::repeat_n(kind, count))
        .map(|kind| (rng.uuid(), kind))
        .collect();
    let services = PROCESSES;
    let components = services + SERVICES;
    let sites = components + COMPONENTS;

    let mut edges: Vec<(usize, usize)> = Vec::with_capacity(300_000);
    for _ in 0..30_000 {
        edges.push((rng.below(PROCESSES), services + rng.popular(SERVICES)));
    }
    for _ in 0..20_000 {
        let from = rng.below(SERVICES - 1);
        let to = from + 1 + rng.popular(SERVICES - from - 1);
        edges.push((services + from, services + to));
    }
    for _ in 0..80_100 {
        edges.push((
            services + rng.below(SERVICES),
            components + rng.popular(COMPONENTS),
        ));
    }
    for _ in 0..100_000 {
        let from = rng.below(COMPONENTS - 1);
        let to = from + 1 + rng.popular(COMPONENTS - from - 1);
        edges.push((components + from, components + to));
    }
    for component in 0..COMPONENTS {
        edges.push((components + component, sites + rng.popular(SITES)));
    }

    let mut out_degree = vec![0u32; nodes.len()];
    let mut in_degree = vec![0u32; nodes.len()];
    for &(from, to) in &edges {
        out_degree[from] += 1;
        in_degree[to] += 1;
    }
    let busiest = |range: std::ops::Range<usize>, degree: &dyn Fn(usize) -> u32| {
        let position = range.max_by_key(|&node| degree(node)).unwrap_or_default();
        nodes[position].0
    };
    let busy_process = busiest(0..services, &|node| out_degree[node]);
    Estate {
        busy_process,
        other_process: nodes[..services]
            .iter()
            .map(|&(id, _)| id)
            .find(|&id| id != busy_process)
            .unwrap_or_default(),
        busy_service: busiest(services..components, &|node| {
            out_degree[node] + in_degree[node]
        }),
        busy_site: busiest(sites..nodes.len(), &|node| in_degree[node]),
        edges: edges
            .into_iter()
            .map(|(from, to)| (nodes[from].0, nodes[to].0))
            .collect(),
        nodes,
    }
}

fn bench_graph(c: &mut Criterion) {
    let estate = estate();
    let graph = DependencyGraph::new(estate.nodes.clone(), estate.edges.clone());
    eprintln!(
        "estate: {} nodes, {} edges; busy process needs {}, busy site has {} dependents",
        graph.node_count(),
        graph.edge_count(),
        graph.needs(estate.busy_process).len(),
        graph.dependents(estate.busy_site).len(),
    );
    assert!(graph.find_cycle().is_none(), "the estate is built acyclic");

    // 10 000 risks on components and sites: the highest level every node is exposed to.
    let mut rng = Rng(0x7269_736b);
    let targets: Vec<Uuid> = estate
        .nodes
        .iter()
        .filter(|(_, kind)| matches!(kind, NodeKind::Component | NodeKind::Site))
        .map(|(id, _)| *id)
        .collect();
    let bearings: Vec<Bearing> = (0..10_000)
        .map(|_| Bearing {
            risk: rng.uuid(),
            node: targets[rng.below(targets.len())],
            level: rng.below(4) as u8,
        })
        .collect();
    c.bench_function("exposure of every node to 10 000 risks", |b| {
        b.iter(|| exposure::highest_levels(&graph, black_box(&bearings)))
    });

    c.bench_function("new", |b| {
        b.iter_batched(
            || (estate.nodes.clone(), estate.edges.clone()),
            |(nodes, edges)| DependencyGraph::new(nodes, edges),
            BatchSize::LargeInput,
        )
    });
    c.bench_function("needs of a busy process", |b| {
        b.iter(|| graph.needs(black_box(estate.busy_process)))
    });
    c.bench_function("dependents of a busy site", |b| {
        b.iter(|| graph.dependents(black_box(estate.busy_site)))
    });
    c.bench_function("find_cycle", |b| b.iter(|| graph.find_cycle()));
    // No cycle, the worst case: the search explores everything the busy process needs.
    c.bench_function("cycle_if_added (no cycle)", |b| {
        b.iter(|| graph.cycle_if_added(black_box(estate.other_process), estate.busy_process))
    });
    c.bench_function("cycle_if_added (site needing a process)", |b| {
        b.iter(|| graph.cycle_if_added(black_box(estate.busy_site), estate.busy_process))
    });
    c.bench_function("topological_order", |b| {
        b.iter(|| graph.topological_order())
    });
    c.bench_function("neighbourhood(busy service, 2, 2)", |b| {
        b.iter(|| graph.neighbourhood(black_box(estate.busy_service), 2, 2))
    });
    c.bench_function("layers", |b| b.iter(|| graph.layers()));
    c.bench_function("edges", |b| b.iter(|| graph.edges()));
    // Supplier reliance: walks that pass through components only.
    let components = |kind: NodeKind| kind == NodeKind::Component;
    c.bench_function("dependents of a busy site through components", |b| {
        b.iter(|| graph.dependents_through(black_box(estate.busy_site), components))
    });
    c.bench_function("needs of a busy service through components", |b| {
        b.iter(|| graph.needs_through(black_box(estate.busy_service), components))
    });
}

/// A recovery plan of 100 000 steps, each waiting for up to three earlier ones: its schedule,
/// critical paths (to the service's return and to normal) and slack, in one pass.
fn bench_plan(c: &mut Criterion) {
    use continuity::domain::duration::Duration as Minutes;
    use continuity::domain::plan::steps::{Phase, Step, schedule};
    let mut random = Rng(7);
    let steps: Vec<Step> = (0..100_000usize)
        .map(|index| Step {
            id: format!("S{index}"),
            phase: if index % 10 == 9 {
                Phase::Reconstitution
            } else {
                Phase::Recovery
            },
            action: String::new(),
            role: String::new(),
            duration: Minutes::from_minutes(i64::try_from(random.below(240)).unwrap_or(0))
                .unwrap_or(Minutes::ZERO),
            predecessors: (0..3)
                .filter(|_| index > 0)
                .map(|_| format!("S{}", random.below(index)))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect(),
        })
        .collect();
    c.bench_function("schedule 100 000 plan steps", |b| {
        b.iter(|| schedule(black_box(&steps)))
    });
}

/// Loading the whole graph from PostgreSQL (the two queries the app runs when the graph changed)
/// and building it, on the same estate written into a scratch database.
fn bench_loading(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    // The pooled connection goes back to its pool when dropped, which needs the runtime.
    let _inside = runtime.enter();
    let estate = estate();
    let pool = runtime.block_on(scratch_database(&estate));
    let mut conn = runtime.block_on(pool.acquire()).expect("connection");
    c.bench_function("load_graph_from_postgres", |b| {
        b.iter(|| {
            runtime
                .block_on(continuity::db::catalogue::dependencies::load_graph(
                    &mut conn,
                ))
                .expect("loaded")
        })
    });
    c.bench_function("load_and_build_graph", |b| {
        b.iter(|| {
            let (nodes, edges) = runtime
                .block_on(continuity::db::catalogue::dependencies::load_graph(
                    &mut conn,
                ))
                .expect("loaded");
            DependencyGraph::new(nodes, edges)
        })
    });
}

/// A fresh database (`continuity_bench` on the server of `TEST_DATABASE_URL`) holding the estate.
async fn scratch_database(estate: &Estate) -> sqlx::PgPool {
    use sqlx::postgres::PgConnectOptions;
    use sqlx::{ConnectOptions, Executor};
    let server: PgConnectOptions = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
        .parse()
        .expect("TEST_DATABASE_URL");
    let mut admin = server
        .clone()
        .database("postgres")
        .connect()
        .await
        .expect("PostgreSQL for the benchmark");
    admin
        .execute("drop database if exists continuity_bench with (force)")
        .await
        .expect("drop");
    admin
        .execute("create database continuity_bench")
        .await
        .expect("create");
    let pool = sqlx::PgPool::connect_with(server.database("continuity_bench"))
        .await
        .expect("connect");
    continuity::db::setup::migrate(&mut pool.acquire().await.expect("connection"))
        .await
        .expect("migrations");
    for chunk in estate.nodes.chunks(20_000) {
        let ids: Vec<Uuid> = chunk.iter().map(|(id, _)| *id).collect();
        let kinds: Vec<&str> = chunk.iter().map(|(_, kind)| kind.as_str()).collect();
        sqlx::query(
            "insert into catalogue_nodes (id, kind) select * from unnest($1::uuid[], $2::text[])",
        )
        .bind(ids)
        .bind(kinds)
        .execute(&pool)
        .await
        .expect("nodes");
    }
    for chunk in estate.edges.chunks(20_000) {
        let from: Vec<Uuid> = chunk.iter().map(|(from, _)| *from).collect();
        let to: Vec<Uuid> = chunk.iter().map(|(_, to)| *to).collect();
        sqlx::query(
            "insert into dependencies (from_id, to_id, relation) select f, t, 'uses' from unnest($1::uuid[], $2::uuid[]) as e(f, t)
             on conflict do nothing",
        )
        .bind(from)
        .bind(to)
        .execute(&pool)
        .await
        .expect("edges");
    }
    pool
}

criterion_group! {
    name = loading;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(8));
    targets = bench_loading
}

/// The posture and a site-loss scenario on the same estate: 20 000 services with requirements,
/// a mix of tested, planned, estimated and unknown recovery, over the 100 000-node graph.
fn bench_posture(c: &mut Criterion) {
    use continuity::domain::duration::Duration as Minutes;
    use continuity::domain::posture::{
        self, Inputs, PlanEvidence, RecoveryOption, ServiceFacts, StrategyFacts, StrategyStatus,
        TestEvidence, scenario,
    };
    let estate = estate();
    let graph = DependencyGraph::new(estate.nodes.clone(), estate.edges.clone());
    let today = time::macros::date!(2026 - 12 - 04);
    let mut rng = Rng(0x706f_7374);
    let hours = [1, 4, 8, 24, 72, 168];
    let services: Vec<ServiceFacts> = estate
        .nodes
        .iter()
        .filter(|(_, kind)| *kind == NodeKind::Service)
        .map(|&(id, _)| {
            let rank = 1 + rng.below(4) as u8;
            let rto = Minutes::hours(hours[rng.below(hours.len())]);
            let evidence = rng.below(4);
            ServiceFacts {
                id,
                name: format!("Service {id}"),
                owner_id: None,
                tier_rank: Some(rank),
                tier_name: None,
                rto: Some(rto),
                rpo: Some(Minutes::hours(1)),
                mtpd: Some(Minutes::hours(hours[rng.below(hours.len())] * 2)),
                test_interval_months: 6,
                test: (evidence == 0).then(|| TestEvidence {
                    test_id: rng.uuid(),
                    number: 1,
                    held_on: today - time::Duration::days(rng.below(365) as i64),
                    achieved: Some(Minutes::hours(hours[rng.below(hours.len())])),
                    data_lost: Some(Minutes::hours(1)),
                    passed: true,
                }),
                loss_test: (evidence == 0).then(|| TestEvidence {
                    test_id: rng.uuid(),
                    number: 1,
                    held_on: today - time::Duration::days(rng.below(365) as i64),
                    achieved: Some(Minutes::hours(hours[rng.below(hours.len())])),
                    data_lost: Some(Minutes::hours(1)),
                    passed: true,
                }),
                plan: (evidence == 1).then(|| PlanEvidence {
                    plan_id: rng.uuid(),
                    title: "Recovery".into(),
                    estimate: Minutes::hours(hours[rng.below(hours.len())]),
                }),
                strategy: (evidence == 2).then(|| StrategyFacts {
                    option: RecoveryOption::ALL[rng.below(RecoveryOption::ALL.len())],
                    status: StrategyStatus::Implemented,
                    estimate: Some(Minutes::hours(hours[rng.below(hours.len())])),
                    achievable_rpo: Some(Minutes::hours(4)),
                }),
            }
        })
        .collect();
    let inputs = Inputs {
        graph: &graph,
        services,
        contracts: Vec::new(),
        today,
    };
    let computed = posture::compute(&inputs);
    let lost = [estate.busy_site];
    let outcome = scenario::run(&inputs, &computed, &lost);
    eprintln!(
        "posture: {} services, {} single points; losing the busy site fells {} nodes, {} services",
        computed.services.len(),
        computed.single_points.len(),
        outcome.fallen_count,
        outcome.services.len(),
    );
    c.bench_function("posture of 20 000 services", |b| {
        b.iter(|| posture::compute(black_box(&inputs)))
    });
    // Its parts: the requirement flowing down, the recovery time flowing up, and the walk
    // under every mission-critical service that finds the single points of failure.
    let seeds: std::collections::HashMap<Uuid, u32> = inputs
        .services
        .iter()
        .filter_map(|service| Some((service.id, posture::minutes_of(service.rto?))))
        .collect();
    c.bench_function("posture part: requirements down", |b| {
        b.iter(|| graph.lowest_over_dependents(black_box(&seeds)))
    });
    let own: std::collections::HashMap<Uuid, continuity::domain::graph::Own> = seeds
        .iter()
        .map(|(id, minutes)| {
            (
                *id,
                continuity::domain::graph::Own {
                    minutes: Some(*minutes),
                    grade: 1,
                },
            )
        })
        .collect();
    c.bench_function("posture part: recovery time up", |b| {
        b.iter(|| graph.longest_over_needs(black_box(&own)))
    });
    c.bench_function("posture part: single points of failure", |b| {
        b.iter(|| posture::single_points(&graph, black_box(&inputs.services)))
    });
    c.bench_function("scenario: lose the busy site", |b| {
        b.iter(|| scenario::run(black_box(&inputs), &computed, &lost))
    });
}

criterion_group! {
    name = benches;
    // Few, short samples: the whole run stays around a minute on two cores.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench_graph, bench_plan, bench_posture
}
criterion_main!(benches, loading);
