-- POST /api/v1/assessments signed in by a personal access token (the result is stored).
-- Arguments after "--": <bearer token> <file holding the JSON body>.
function init(args)
   local token, body_file = args[1], args[2]
   local file = assert(io.open(body_file, "r"), "cannot read the body file")
   wrk.method = "POST"
   wrk.body = file:read("*a")
   file:close()
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. token
end
