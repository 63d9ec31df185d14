-- Which workspace each connection belongs to, for the audit log (GET /v1/events, /v1/connections/{id}/history).
-- Written by a subscribing handler in the transaction that appends the connection's AuthorizationStarted, so an
-- event is never visible without its workspace. A connection's workspace never changes. Application events belong
-- to no workspace and have no row here.
create table connection_workspace (
    connection_id varchar(255) not null,
    workspace_id  varchar(255) not null,
    constraint connection_workspace_pkey primary key (connection_id)
);
create index connection_workspace_workspace_idx on connection_workspace (workspace_id, connection_id);

-- connections started before this table existed
insert into connection_workspace (connection_id, workspace_id)
select aggregate_identifier, convert_from(payload, 'UTF8')::jsonb ->> 'workspaceId'
from domain_event_entry
where payload_type = 'dev.latchkey.domain.connection.AuthorizationStarted'
on conflict do nothing;
