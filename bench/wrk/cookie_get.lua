-- GET signed in by the browser's session cookie (the dashboard page).
-- Arguments after "--": <Cookie header value>, e.g. "sc_session=...; csrftoken=...".
function init(args)
   wrk.method = "GET"
   wrk.headers["Cookie"] = args[1]
   wrk.headers["Accept"] = "text/html"
end
