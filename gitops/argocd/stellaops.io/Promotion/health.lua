-- Argo CD health of a Stella Promotion: by phase; a spec change not yet observed is Progressing.
local hs = { status = "Progressing", message = "waiting for Stella Operator" }
if obj.status == nil or obj.status.phase == nil then
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and obj.status.observedGeneration ~= nil and obj.status.observedGeneration < generation then
  return hs
end
local phase = obj.status.phase
local message = phase
if obj.status.transitions ~= nil and #obj.status.transitions > 0 then
  local last = obj.status.transitions[#obj.status.transitions]
  if last.message ~= nil then
    message = phase .. ": " .. last.message
  end
end
if phase == "Succeeded" or phase == "Superseded" then
  hs.status = "Healthy"
elseif phase == "AwaitingApproval" then
  hs.status = "Suspended"
elseif phase == "Denied" or phase == "Failed" or phase == "RolledBack" then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
hs.message = message
return hs
