//! The search routes' newer parameters and routes, on an index of the bundled reports:
//! 1. `publisher=` repeated keeps the reports of any; facets list the other publishers.
//! 2. `sort=`, `strict=` and `distinct=` as the query crate takes them; bad values are 400s
//!    naming them.
//! 3. `/api/similar` answers like a search for a hit's name, 404 for an unknown one.
//! 4. `/api/export` is a download of every hit, in the order of the search.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use dateline_indexer::{Indexer, Options};
use dateline_query::Index;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

fn index() -> Arc<Index> {
    static INDEX: OnceLock<(tempfile::TempDir, tempfile::TempDir, Arc<Index>)> = OnceLock::new();
    let (_, _, index) = INDEX.get_or_init(|| {
        let corpus = tempfile::tempdir().unwrap();
        dateline_fixtures::copy_bundled_reports(corpus.path());
        let dir = tempfile::tempdir().unwrap();
        let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
        indexer.update(&[corpus.path().to_path_buf()], |_| {}).unwrap();
        drop(indexer);
        let index = Arc::new(Index::open(dir.path()).unwrap());
        (corpus, dir, index)
    });
    Arc::clone(index)
}

async fn get(uri: &str) -> (StatusCode, HeaderMap, String) {
    let router = dateline_server::router(index());
    let response = router.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, String::from_utf8(body).unwrap())
}

async fn json(uri: &str) -> Value {
    let (status, _, body) = get(uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn names(results: &Value) -> Vec<String> {
    let hits = results["hits"].as_array().unwrap();
    hits.iter()
        .map(|hit| hit["name"].as_str().unwrap().rsplit('/').next().unwrap().into())
        .collect()
}

#[tokio::test]
async fn publishers_sort_and_strict() {
    let either = json("/api/search?q=fentanyl&publisher=rio+times&publisher=hope").await;
    let mut publishers: Vec<&str> = either["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["publisher"].as_str().unwrap())
        .collect();
    publishers.sort();
    assert_eq!(publishers, ["Emily’s Hope", "The Rio Times"]);
    // With one chosen, the facets still list the other, with its count.
    let facets = json("/api/facets?q=fentanyl&publisher=rio+times").await;
    assert_eq!(facets["total"], 1);
    assert_eq!(facets["publishers"].as_array().unwrap().len(), 2);
    assert_eq!(facets["no_publisher"], 3);

    let oldest = json("/api/search?q=fentanyl&sort=oldest").await;
    assert_eq!(oldest["hits"][0]["date"], "2024-01-31");
    assert_eq!(oldest["undated"], 4);
    let every = json("/api/search?q=*").await;
    assert_eq!(every["hits"][0]["date"], "2024-01-31");
    assert_eq!(json("/api/search?q=precursor+chemicals&strict=true").await["total"], 3);
    assert_eq!(json("/api/search?q=precursor+chemicals&strict=false").await["total"], 4);
    // ... and one story of five independent reports, The Rio Times' dated one first.
    let stories = json("/api/stories?q=fentanyl").await;
    assert_eq!(stories["stories"].as_array().unwrap().len(), 1);
    let story = &stories["stories"][0];
    assert_eq!(
        (&story["reports"], &story["independent"], &story["copies"]),
        (&Value::from(5), &Value::from(5), &Value::from(0))
    );
    assert_eq!(story["first_report"]["publisher"], "The Rio Times");
    assert_eq!(story["undated"], 4);
    // The five bundled reports are one story: one hit for it, every report still counted.
    let story = json("/api/search?q=fentanyl&distinct=story").await;
    assert_eq!((story["hits"].as_array().unwrap().len(), &story["total"]), (1, &Value::from(5)));
    assert_eq!(story["hits"][0]["story"]["reports"], 5);

    for (uri, message) in [
        ("/api/search?q=a&sort=best", "sort: unknown order `best`"),
        ("/api/search?q=a&strict=yes", "strict: `yes` is not true or false"),
        ("/api/search?q=a&distinct=outlet", "distinct: `outlet` is not known"),
        ("/api/search?q=a&sort=newest&sort=oldest", "`sort` is given more than once"),
        ("/api/export?q=a&format=xml", "format: unknown export format `xml`"),
        ("/api/similar?limit=2", "path: missing"),
    ] {
        let (status, _, body) = get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(body.contains(message), "{uri}: {body}");
    }
}

#[tokio::test]
async fn similar_by_name_and_export_as_a_download() {
    let search = json("/api/search?q=Daskal&limit=1").await;
    let name = search["hits"][0]["name"].as_str().unwrap().replace('/', "%2F");
    let similar = json(&format!("/api/similar?path={name}&limit=3")).await;
    assert!(!names(&similar).is_empty());
    assert!(!names(&similar).contains(&names(&search)[0]), "{similar}");
    let (status, _, _) = get("/api/similar?path=nothing%2Fhere.txt").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, headers, csv) = get("/api/export?q=fentanyl&format=csv&sort=newest").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"dateline-export.csv\""
    );
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "rank,title,publisher,date,url,name,line,passage,matches_every_word");
    let all = json("/api/search?q=fentanyl&sort=newest&limit=100").await;
    assert_eq!(rows.len() - 1, all["total"].as_u64().unwrap() as usize);
    let exported: Vec<&str> =
        rows[1..].iter().map(|row| row.split(',').find(|f| f.ends_with(".txt")).unwrap()).collect();
    let exported: Vec<String> =
        exported.iter().map(|n| n.rsplit('/').next().unwrap().into()).collect();
    assert_eq!(exported, names(&all));

    let (_, headers, jsonl) = get("/api/export?q=fentanyl&format=jsonl&strict=true").await;
    assert_eq!(headers[header::CONTENT_TYPE], "application/x-ndjson");
    assert_eq!(jsonl.lines().count(), 5);
    for line in jsonl.lines() {
        let row: Value = serde_json::from_str(line).unwrap();
        assert_eq!(row["matches_every_word"], true);
    }
}
