"""Expands JSON-LD documents with PyLD, as a JSON-LD processor on another
server does (bovine), and prints the terms that do not expand to an IRI.

The ActivityStreams context sets "@vocab": "_:", so a term that no context
defines does not vanish: it expands to a blank-node property "_:term".
That is what this reports, together with types ("@type": "_:Type") and
documents that cannot be expanded at all (no @context, or a context that
cannot be loaded).

Usage: jsonld_terms.py DOCUMENTS.json
DOCUMENTS.json holds [{"label": ..., "document": {...}}, ...]; the output is
[{"label": ..., "problems": ["<path>: <what>", ...]}, ...] for each
document that has problems.

Only the contexts in contexts/ are served (copied from PyLD 3.3.0's bundled
contexts, see contexts/README.md); any other remote context is a problem.
"""

import json
import os
import sys

from pyld import jsonld

HERE = os.path.dirname(os.path.abspath(__file__))
CONTEXTS = {
    "https://www.w3.org/ns/activitystreams": "activitystreams.jsonld",
    "https://w3id.org/security/v1": "security-v1.jsonld",
}


def offline_loader(url, options=None):
    name = CONTEXTS.get(url.split("#")[0].rstrip("/"))
    if name is None:
        raise jsonld.JsonLdError(
            f"no offline copy of the context {url}", "jsonld.LoadDocumentError", code="loading document failed"
        )
    with open(os.path.join(HERE, "contexts", name), encoding="utf-8") as f:
        document = json.load(f)
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": document}


def short(iri):
    for sep in ("#", "/"):
        if sep in iri and not iri.startswith("_:"):
            return iri.rsplit(sep, 1)[1]
    return iri


def walk(node, path, problems):
    if isinstance(node, list):
        for item in node:
            walk(item, path, problems)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "@type":
            for kind in value if isinstance(value, list) else [value]:
                if isinstance(kind, str) and kind.startswith("_:"):
                    problems.append(f"{path or '/'}: type {kind[2:]} expands to a blank node")
            continue
        if key.startswith("_:"):
            problems.append(f"{path}/{key[2:]}: term expands to a blank node")
            continue
        walk(value, f"{path}/{short(key)}" if not key.startswith("@") else path, problems)


def check(document):
    if not isinstance(document, dict) or "@context" not in document:
        return ["/: no @context, every term would be dropped"]
    try:
        expanded = jsonld.expand(document, {"documentLoader": offline_loader})
    except jsonld.JsonLdError as e:
        cause = (e.details or {}).get("cause", e) if isinstance(e.details, dict) else e
        return [f"/: cannot be expanded: {cause}"]
    if not expanded:
        return ["/: expands to nothing"]
    problems = []
    walk(expanded, "", problems)
    return problems


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        documents = json.load(f)
    report = []
    for entry in documents:
        problems = check(entry["document"])
        if problems:
            report.append({"label": entry["label"], "problems": problems})
    json.dump(report, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
