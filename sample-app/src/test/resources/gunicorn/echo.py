"""A WSGI application that answers with what it sees of its client, as the sample app's
/client endpoint does: the tests send both the same requests and compare."""
import json


def app(environ, start_response):
    body = json.dumps({
        "remoteAddr": environ.get("REMOTE_ADDR"),
        "scheme": environ["wsgi.url_scheme"],
        "secure": environ["wsgi.url_scheme"] == "https",
    }).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
