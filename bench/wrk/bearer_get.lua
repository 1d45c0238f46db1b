-- GET signed in by a personal access token (the dashboard API).
-- Arguments after "--": <bearer token>.
function init(args)
   wrk.method = "GET"
   wrk.headers["Authorization"] = "Bearer " .. args[1]
end
