-- Argo CD health of a Stella Agent, from its kstatus conditions (Ready, Reconciling, Stalled).
-- Argo CD runs one self-contained script per kind, so the condition checks repeat across kinds.
local hs = { status = "Progressing", message = "waiting for Stella Operator" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and obj.status.observedGeneration ~= nil and obj.status.observedGeneration < generation then
  return hs
end
local ready, stalled, reconciling, drifted, verified
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then
    ready = c
  end
  if c.type == "Stalled" and c.status == "True" then
    stalled = c
  end
  if c.type == "Reconciling" and c.status == "True" then
    reconciling = c
  end
end
if stalled ~= nil then
  hs.status = "Degraded"
  hs.message = stalled.message
elseif drifted ~= nil then
  hs.status = "Degraded"
  hs.message = "Drifted: " .. (drifted.message or "")
elseif verified ~= nil then
  hs.status = "Degraded"
  hs.message = "Not verified: " .. (verified.message or "")
elseif reconciling ~= nil then
  hs.message = reconciling.message
elseif ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message
elseif ready ~= nil and ready.status == "False" then
  hs.status = "Degraded"
  hs.message = (ready.reason or "NotReady") .. ": " .. (ready.message or "")
end
return hs
