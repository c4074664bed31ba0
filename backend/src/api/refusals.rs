//! The answers any route may give before its handler runs, added to every operation of the
//! OpenAPI document in one place: a request too slow to arrive (408) or with headers too
//! large (431), and for a route that takes a body, a body that is not JSON (400, 415) or too
//! large (413). Each answers the API's error body with its catalogue code.

use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

fn error(description: &str) -> RefOr<Response> {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build();
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content("application/json", content)
            .build(),
    )
}

fn add(op: &mut Operation) {
    let answers = &mut op.responses.responses;
    let mut put = |status: &str, description: &str| {
        answers
            .entry(status.to_string())
            .or_insert_with(|| error(description));
    };
    put(
        "408",
        "`request/timeout`: the request took too long to arrive or to answer",
    );
    put(
        "431",
        "`request/headers-too-large`: the headers are over 64 KiB",
    );
    if op.request_body.is_some() {
        put(
            "400",
            "`request/invalid-json`, `request/missing-body` or `request/unreadable-body`",
        );
        put(
            "413",
            "`request/too-large`: the body is over `HTTP_MAX_BODY_BYTES`",
        );
        put(
            "415",
            "`request/unsupported-media-type`: the body is not sent as JSON",
        );
    }
}

/// Adds the transport refusals to every operation of `doc`.
pub fn document(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            add(op);
        }
    }
}
