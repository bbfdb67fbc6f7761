//! The API through the real router, on an index of the bundled reports plus one hostile one.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dateline_indexer::{Indexer, Options};
use dateline_query::{Index, Query};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

struct Fixture {
    corpus: tempfile::TempDir,
    _dir: tempfile::TempDir,
    index: Arc<Index>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let corpus = tempfile::tempdir().unwrap();
        dateline_fixtures::copy_bundled_reports(corpus.path());
        std::fs::write(
            corpus.path().join("hostile.txt"),
            "Hostile <b>markup</b> report\nSource: <script>alert(1)</script>\n\n\
             A pwned <img src=x onerror=\"alert(1)\"> body.\n",
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
        indexer.update(&[corpus.path().to_path_buf()], |_| {}).unwrap();
        drop(indexer);
        let index = Arc::new(Index::open(dir.path()).unwrap());
        Fixture { corpus, _dir: dir, index }
    })
}

struct Answer {
    status: StatusCode,
    content_type: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!("{err}: {}", String::from_utf8_lossy(&self.body));
        })
    }

    fn error(&self) -> String {
        self.json()["error"].as_str().expect("an error message").to_string()
    }
}

/// `GET uri` (already percent-encoded) through the router.
async fn get(uri: &str) -> Answer {
    let router = dateline_server::router(Arc::clone(&fixture().index));
    let response = router.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Answer { status, content_type, body }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn search_answers_in_the_query_crates_format() {
    let answer = get("/api/search?q=precursor+chemicals&limit=2&passages=1").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type, "application/json");
    // The very serialization `dateline search --json` prints.
    let direct = fixture().index.search(&Query::new("precursor chemicals").limit(2).passages(1));
    let printed = serde_json::to_string(&direct.unwrap()).unwrap();
    assert_eq!(answer.json(), serde_json::from_str::<Value>(&printed).unwrap());
    let body = answer.json();
    assert_eq!(body["total"], 3);
    let hit = &body["hits"][0];
    let passage = &hit["passages"][0];
    let text = passage["text"].as_str().unwrap();
    let marked: Vec<&str> = passage["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &text[r["start"].as_u64().unwrap() as usize..r["end"].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(marked, ["precursor", "chemicals"]);

    let page = get("/api/search?q=fentanyl&limit=2&offset=2").await.json();
    assert_eq!(page["total"], 5);
    let ranks: Vec<u64> =
        page["hits"].as_array().unwrap().iter().map(|h| h["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [3, 4]);

    let filtered = get("/api/search?q=fentanyl&publisher=rio+times&since=2024-01-01").await.json();
    assert_eq!(filtered["total"], 1);
    assert_eq!(filtered["hits"][0]["publisher"], "The Rio Times");

    // A typo: nothing matches, and near words of the index are offered.
    let typo = get("/api/search?q=fentanil+talks&strict=true").await.json();
    assert_eq!((&typo["total"], &typo["suggestions"]), (&json!(0), &json!(["fentanyl talks"])));
    // Without `strict`, the reports with "talks" follow, marked as matching only some words.
    let typo = get("/api/search?q=fentanil+talks").await.json();
    assert_eq!(
        (&typo["matched_every_word"], &typo["suggestions"]),
        (&json!(0), &json!(["fentanyl talks"]))
    );
    assert!(typo["total"].as_u64().unwrap() > 0);
    assert!(typo["hits"].as_array().unwrap().iter().all(|hit| hit["matches_every_word"] == false));
    assert!(get("/api/search?q=zeppelin").await.json().get("suggestions").is_none());
}

#[tokio::test]
async fn facets_report_and_health() {
    let facets = get("/api/facets?q=fentanyl").await;
    assert_eq!(facets.status, StatusCode::OK);
    let facets = facets.json();
    assert_eq!(facets["total"], 5);
    let publishers: Vec<(&str, u64)> = facets["publishers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(publishers, [("Emily’s Hope", 1), ("The Rio Times", 1)]);
    assert_eq!(facets["timeline"]["interval"], "day");
    assert_eq!(facets["timeline"]["buckets"][0]["start"], "2024-01-31");
    assert_eq!(
        get("/api/facets?q=fentanyl&interval=month").await.json()["timeline"]["interval"],
        "month"
    );

    let search = get("/api/search?q=Daskal&limit=1").await.json();
    let hit = &search["hits"][0];
    let name = hit["name"].as_str().unwrap();
    let report = get(&format!("/api/report?path={}&q=Daskal", encode(name))).await;
    assert_eq!(report.status, StatusCode::OK);
    let report = report.json();
    assert_eq!(report["path"], hit["path"]);
    let passage_line = hit["passages"][0]["line"].as_u64().unwrap();
    let line = report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["line"].as_u64() == Some(passage_line))
        .expect("the passage's line is in the report");
    let range = &line["highlights"][0];
    let text = line["text"].as_str().unwrap();
    assert_eq!(
        &text[range["start"].as_u64().unwrap() as usize..range["end"].as_u64().unwrap() as usize],
        "Daskal"
    );

    let health = get("/api/health").await.json();
    assert_eq!(health["reports"], 6);
    assert!(Path::new(health["index"].as_str().unwrap()).is_absolute());
    assert!(health["last_commit"].as_str().unwrap().ends_with('Z'), "{health}");
}

#[tokio::test]
async fn nothing_outside_the_index_is_served() {
    let hit = get("/api/search?q=Daskal&limit=1").await.json()["hits"][0].clone();
    let name = hit["name"].as_str().unwrap().to_string();
    let (folder, file) = name.split_once('/').unwrap();
    let absolute = hit["path"].as_str().unwrap().to_string();
    let cargo_toml = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    for path in [
        absolute.as_str(),
        "/etc/passwd",
        "../../../etc/passwd",
        &format!("{folder}/../{folder}/{file}"),
        &format!("{folder}/%2e%2e/{file}"),
        &format!("..\\{folder}\\{file}"),
        cargo_toml.to_str().unwrap(),
        "index-data/index/meta.json",
        &format!("{folder}/{file}\0"),
    ] {
        let answer = get(&format!("/api/report?path={}", encode(path))).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path:?}");
        assert!(answer.error().starts_with("no report named"), "{path:?}");
    }
    for uri in
        ["/assets/..%2FCargo.toml", "/assets/style.css/..", "/../Cargo.toml", "/api", "/index.html"]
    {
        assert_eq!(get(uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let router = dateline_server::router(Arc::clone(&fixture().index));
    let post = Request::post("/api/search?q=a").body(Body::empty()).unwrap();
    let response = router.oneshot(post).await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("only GET requests"));
    let missing = get("/api/report").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(missing.error().starts_with("path: missing"));
}

#[tokio::test]
async fn bad_parameters_are_400_with_a_message_naming_them() {
    let cases = [
        ("/api/search?q=%22precursor", "invalid query `\"precursor`: unbalanced double quote"),
        ("/api/search?q=a&limit=101", "limit: 101 is more than the limit of 100"),
        ("/api/search?q=a&limit=-1", "limit: `-1` is not a whole number"),
        ("/api/search?q=a&offset=9995&limit=10", "offset + limit is 10005"),
        (
            "/api/search?q=a&passages=99999999999999999999999",
            "passages: `99999999999999999999999` is not",
        ),
        ("/api/search?q=a&since=2024-13-01", "since: `2024-13-01` is not a date; use YYYY-MM-DD"),
        ("/api/search?q=a&until=yesterday", "until: `yesterday` is not a date"),
        // Past the index's time range: once a 500 (found by the API fuzzer).
        (
            "/api/search?q=a&until=2262-04-11",
            "until: 2262-04-11 is out of range; dates from 1678-01-01",
        ),
        ("/api/facets?q=a&until=6223-03-14", "until: 6223-03-14 is out of range"),
        ("/api/search?q=a&since=0275-05-11", "since: 0275-05-11 is out of range"),
        ("/api/search?q=a&q=b", "malformed parameters"),
        ("/api/search", "invalid query ``: the query is empty"),
        (
            "/api/facets?q=a&interval=decade",
            "interval: unknown interval `decade`; use day, week, month or year",
        ),
        ("/api/facets?q=title:(talks", "invalid query `title:(talks`"),
        ("/api/report?path=x&q=%22a", "invalid query"),
    ];
    for (uri, expected) in cases {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        let message = answer.error();
        assert!(message.starts_with(expected), "{uri}: {message}");
        assert!(!message.contains('\n'), "{uri}: {message}");
    }
    let huge = format!("/api/search?q={}", "fentanyl+".repeat(5000));
    let message = get(&huge).await.error();
    assert!(message.contains("bytes long; the limit is"), "{message}");
    assert!(message.len() < 300, "the error echoes the whole query: {} bytes", message.len());
}

#[tokio::test]
async fn hostile_queries_are_answered_or_refused_never_failed() {
    let collection = include_str!("../../query/tests/hostile_queries.txt");
    let mut queries: Vec<String> =
        collection.lines().filter(|line| !line.starts_with('#')).map(str::to_string).collect();
    queries.extend(["%FF%FE", "%", "%zz", "a%00b", "%E2%80"].map(|raw| format!("raw:{raw}")));
    for query in &queries {
        let q = match query.strip_prefix("raw:") {
            Some(raw) => raw.to_string(),
            None => encode(query),
        };
        for route in ["/api/search", "/api/facets", "/api/report"] {
            let uri = format!("{route}?q={q}&path=index-data%2F003_63e613daaea22d0e.txt");
            let answer = get(&uri).await;
            match answer.status {
                StatusCode::OK => drop(answer.json()),
                StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND => drop(answer.error()),
                other => panic!("{uri}: {other} {}", String::from_utf8_lossy(&answer.body)),
            }
        }
    }
}

#[tokio::test]
async fn pages_and_assets_are_served_with_a_strict_policy() {
    for (uri, kind) in [
        ("/", "text/html"),
        ("/report?path=x", "text/html"),
        ("/assets/style.css", "text/css"),
        ("/assets/search.js", "text/javascript"),
        ("/assets/report.js", "text/javascript"),
        ("/assets/dom.js", "text/javascript"),
        ("/assets/facets.js", "text/javascript"),
        ("/assets/timeline.js", "text/javascript"),
        ("/assets/intro.js", "text/javascript"),
        ("/assets/hits.js", "text/javascript"),
        ("/assets/state.js", "text/javascript"),
        ("/assets/stories.js", "text/javascript"),
    ] {
        let router = dateline_server::router(Arc::clone(&fixture().index));
        let response =
            router.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let headers = response.headers();
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with(kind), "{uri}");
        let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(policy.contains("script-src 'self'"), "{uri}: {policy}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert!(body.len() > 200, "{uri} is empty");
    }
    // Offline: no page or asset refers to another host (the browser test also blocks and
    // reports any such request).
    let assets = [
        "style.css",
        "search.js",
        "report.js",
        "dom.js",
        "facets.js",
        "timeline.js",
        "intro.js",
        "hits.js",
        "state.js",
        "stories.js",
    ];
    for uri in
        ["/", "/report"].into_iter().map(String::from).chain(assets.map(|a| format!("/assets/{a}")))
    {
        let uri = uri.as_str();
        let text = String::from_utf8(get(uri).await.body).unwrap();
        for opener in ["src=\"", "href=\"", "url(", "fetch(", "import ", "@import"] {
            for (at, _) in text.match_indices(opener) {
                let value = text[at + opener.len()..].trim_start_matches(['\'', '"', '`', ' ']);
                let foreign = value.starts_with("http") || value.starts_with("//");
                assert!(
                    !foreign,
                    "{uri} loads from another host: {}",
                    value.chars().take(60).collect::<String>()
                );
            }
        }
    }
}

/// Whether `value` has the shape `schema` (from `doc`) gives: types, `nullable`, `$ref`,
/// `required`, `additionalProperties: false`, `enum`, `minimum`. Enough of JSON Schema for
/// this document; the API fuzzer in CI checks the rest against a live server.
fn conforms(value: &Value, schema: &Value, doc: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return conforms(value, &doc["components"]["schemas"][name], doc, at);
    }
    if value.is_null() && schema["nullable"] == true {
        return Ok(());
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {allowed:?}"));
    }
    let fits = match schema["type"].as_str() {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_u64() || value.is_i64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    };
    if !fits {
        return Err(format!("{at}: {value} is not of type {}", schema["type"]));
    }
    if let (Some(minimum), Some(n)) = (schema["minimum"].as_f64(), value.as_f64())
        && n < minimum
    {
        return Err(format!("{at}: {n} is below {minimum}"));
    }
    if let Some(object) = value.as_object() {
        let properties = schema["properties"].as_object();
        for name in schema["required"].as_array().into_iter().flatten() {
            if !object.contains_key(name.as_str().unwrap()) {
                return Err(format!("{at}: no `{name}`"));
            }
        }
        for (name, field) in object {
            match properties.and_then(|p| p.get(name)) {
                Some(field_schema) => conforms(field, field_schema, doc, &format!("{at}.{name}"))?,
                None if schema["additionalProperties"] == false => {
                    return Err(format!("{at}: `{name}` is not in the document"));
                }
                None => {}
            }
        }
    }
    if let Some(items) = value.as_array() {
        for (n, item) in items.iter().enumerate() {
            conforms(item, &schema["items"], doc, &format!("{at}[{n}]"))?;
        }
    }
    Ok(())
}

/// A sentence of one bundled report (Emily's Hope's), lightly edited.
const TRACED: &str =
    "/api/trace?q=the+DEA+identifies+China+and+Mexico+as+the+primary+sources+of+fentanyl";

/// What each route answers is what `/api/openapi.json` says it answers: a field added to,
/// renamed in or removed from `Results`, `Facets`, `Report`, `Status` or the error body
/// without the document following fails here.
#[tokio::test]
async fn answers_match_the_openapi_document() {
    let served = get("/api/openapi.json").await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.content_type, "application/json");
    let doc = served.json();
    assert_eq!(doc, serde_json::from_str::<Value>(dateline_server::OPENAPI).unwrap());
    let name = get("/api/search?q=Daskal&limit=1").await.json()["hits"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let report = format!("/api/report?path={}&q=Daskal", encode(&name));
    let similar = format!("/api/similar?path={}", encode(&name));
    for (uri, route) in [
        ("/api/search?q=fentanyl&passages=3", "/api/search"),
        ("/api/search?q=hostile", "/api/search"),
        ("/api/search?q=fentanil", "/api/search"),
        ("/api/facets?q=fentanyl", "/api/facets"),
        ("/api/facets?q=*&interval=year", "/api/facets"),
        (report.as_str(), "/api/report"),
        ("/api/health", "/api/health"),
        ("/api/search?q=%22a", "/api/search"),
        ("/api/search?q=a&limit=101", "/api/search"),
        ("/api/report?path=nothing.txt", "/api/report"),
        ("/api/search?q=fentanil+talks&sort=newest", "/api/search"),
        ("/api/search?q=fentanyl&strict=maybe", "/api/search"),
        (similar.as_str(), "/api/similar"),
        ("/api/similar?path=nothing.txt", "/api/similar"),
        (TRACED, "/api/trace"),
        ("/api/stories?q=fentanyl", "/api/stories"),
        ("/api/stories?q=nothing-matches-this&sort=relevance", "/api/stories"),
        ("/api/stories?q=a&sort=best", "/api/stories"),
        ("/api/trace?q=fentanyl+talks", "/api/trace"),
        ("/api/trace?q=cocoa+farmers+in+Bahia+reported+showers", "/api/trace"),
        ("/api/export?q=fentanyl&format=xml", "/api/export"),
        ("/api/facets?q=fentanyl&publisher=rio+times&publisher=hope", "/api/facets"),
        ("/api/nothing", "/api/search"),
    ] {
        let answer = get(uri).await;
        let status = answer.status.as_str().to_string();
        let responses = &doc["paths"][route]["get"]["responses"];
        let response = if responses[&status].is_object() {
            &responses[&status]
        } else {
            &responses["default"]
        };
        let schema = &response["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{uri}: {status} is not documented for {route}");
        if let Err(mismatch) = conforms(&answer.json(), schema, &doc, "body") {
            panic!("{uri}: {mismatch}");
        }
    }
}

/// The API's answers on the bundled reports, byte for byte (the corpus folder's path
/// replaced by `$DIR`), so a refactor proves it changes nothing. Re-record a meant change
/// with `DATELINE_BLESS=1 cargo test -p dateline-server --test api answers_are_unchanged`.
#[tokio::test]
async fn answers_are_unchanged() {
    let dir = fixture().corpus.path().canonicalize().unwrap();
    let dir = dir.to_str().unwrap();
    let name = dir.rsplit('/').next().unwrap();
    let mut recorded = String::new();
    for uri in [
        "/api/search?q=precursor+chemicals",
        "/api/search?q=%22precursor+chemicals%22&passages=3",
        "/api/search?q=fentanyl+OR+opioid&limit=3&offset=1",
        "/api/search?q=*&since=2024-01-01",
        "/api/search?q=fentanyl&publisher=rio+times&passages=1",
        "/api/search?q=markup",
        "/api/search?q=nothing-matches-this",
        "/api/search?q=%22precursor",
        "/api/facets?q=fentanyl",
        "/api/facets?q=*&interval=month",
        "/api/facets?q=fentanyl&publisher=rio+times",
        "/api/search?q=fentanyl&publisher=rio+times&publisher=emily&sort=oldest&passages=0",
        "/api/search?q=precursor+chemicals&strict=true&passages=0",
        &format!("/api/similar?path={name}%2F003_63e613daaea22d0e.txt&limit=2&passages=1"),
        "/api/export?q=precursor+chemicals&format=csv",
        "/api/export?q=fentanyl&format=jsonl&sort=newest&publisher=rio+times",
        "/api/export?q=fentanyl",
        &format!("/api/report?path={name}%2F003_63e613daaea22d0e.txt&q=precursor+chemicals"),
        &format!("/api/report?path={name}%2Fhostile.txt"),
        "/api/report?path=nope.txt",
        "/api/nope",
    ] {
        let answer = get(uri).await;
        let body = String::from_utf8(answer.body).unwrap();
        recorded.push_str(&format!(
            "GET {}\n{} {}\n",
            uri.replace(name, "$NAME"),
            answer.status,
            answer.content_type
        ));
        recorded.push_str(&body.replace(dir, "$DIR").replace(name, "$NAME"));
        recorded.push('\n');
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden-api.txt");
    dateline_fixtures::assert_golden(&golden, &recorded);
}

#[tokio::test]
async fn lang_filters_by_language_and_may_repeat() {
    let total = |uri: &'static str| async move { get(uri).await.json()["total"].clone() };
    // The bundled reports are all in English.
    assert_eq!(total("/api/search?q=fentanyl&lang=en").await, 5);
    assert_eq!(total("/api/search?q=fentanyl&lang=de").await, 0);
    assert_eq!(total("/api/search?q=fentanyl&lang=de&lang=EN").await, 5);
    assert_eq!(total("/api/search?q=fentanyl&lang=").await, 5);
    let hit = get("/api/search?q=fentanyl&limit=1").await.json();
    assert_eq!(hit["hits"][0]["language"], "en");
    let facets = get("/api/facets?q=fentanyl&lang=en&lang=fr").await.json();
    assert_eq!(
        (&facets["languages"], &facets["no_language"]),
        (&json!([{"name": "en", "count": 5}]), &json!(0))
    );
    let bad = get("/api/search?q=fentanyl&lang=german").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.error().contains("two-letter language code"), "{}", bad.error());
}

/// `/api/trace` finds the one bundled report carrying an edited sentence of it, with the
/// aligned passage as evidence, and refuses a phrase too short to be a claim.
#[tokio::test]
async fn trace_finds_the_report_carrying_a_claim() {
    let answer = get(TRACED).await;
    assert_eq!(answer.status, StatusCode::OK);
    let trace = answer.json();
    let reports = trace["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1, "{trace}");
    assert_eq!(reports[0]["publisher"], "Emily’s Hope");
    assert_eq!(
        reports[0]["passage"]["text"],
        "identifies China and Mexico as the primary sources of fentanyl"
    );
    assert_eq!(trace["corroboration"]["independent"], 1);
    // The report states no date: no report can be named first.
    assert_eq!(trace["first"], Value::Null);
    let refused = get("/api/trace?q=fentanyl+talks").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.json()["error"].as_str().unwrap().contains("at least 4 words"));
}
