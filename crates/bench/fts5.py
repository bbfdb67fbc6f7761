#!/usr/bin/env python3
"""SQLite FTS5, the peer Dateline's harness measures beside itself (python3's sqlite3).

  fts5.py index DB DIR             build DB from the reports under DIR; print seconds
  fts5.py search DB QUERIES REPS   run each FTS5 query (one per line) REPS times, top 10
                                   with bm25 ranking and snippet(); print JSON latencies
  fts5.py lee DB QUERIES           for each "qid<TAB>docid<TAB>text" line, rank the reports by
                                   BM25 over an OR of the text's words; print
                                   "qid<TAB>doc,doc,..." (top 100, the query's own doc dropped)

Reports are split as Dateline's corpus scripts write them: line 1 headline, header lines
up to the first blank line, then the body.
"""
import json, os, re, sqlite3, sys, time


def reports(root):
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".txt"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
                head, _, body = text.partition("\n\n")
                yield path, head.split("\n", 1)[0], body


def index(db, root):
    if os.path.exists(db):
        os.remove(db)
    start = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, title, body, tokenize='porter unicode61')")
    con.executemany("INSERT INTO docs VALUES (?, ?, ?)", reports(root))
    con.commit()
    con.close()
    print(f"{time.perf_counter() - start:.3f}")


def search(db, queries_file, reps):
    con = sqlite3.connect(db)
    queries = [q for q in open(queries_file).read().splitlines() if q.strip()]
    samples = []
    for _ in range(int(reps)):
        for query in queries:
            start = time.perf_counter()
            rows = con.execute(
                "SELECT path, snippet(docs, 2, '[', ']', '…', 12), bm25(docs, 2.0, 1.0) AS score "
                "FROM docs WHERE docs MATCH ? ORDER BY score LIMIT 10",
                (query,),
            ).fetchall()
            samples.append((time.perf_counter() - start) * 1000.0)
            assert rows is not None
    samples.sort()
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    print(json.dumps({"p50_ms": pick(0.5), "p99_ms": pick(0.99), "samples": len(samples)}))


def lee(db, queries_file):
    con = sqlite3.connect(db)
    for line in open(queries_file, encoding="utf-8"):
        qid, own, text = line.rstrip("\n").split("\t", 2)
        words = sorted(set(w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)))
        match = " OR ".join(f'"{w}"' for w in words)
        rows = con.execute(
            "SELECT path FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 101", (match,)
        ).fetchall()
        ranked = [os.path.splitext(os.path.basename(p))[0] for (p,) in rows]
        ranked = [d for d in ranked if d != own][:100]
        print(f"{qid}\t{','.join(ranked)}")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"index": index, "search": search, "lee": lee}[command](*args)
