import { sql } from "drizzle-orm";
import { seesAllTickets, ticketScope } from "../../auth/policies.ts";
import { addTimelineSource } from "../dossier/dossier.service.ts";
import type { RapportModule } from "../registry.ts";
import { csatPageRoutes } from "./csat.page.ts";
import { csatRoutes } from "./csat.routes.ts";
import { SEND_SURVEY_JOB, sendSurvey } from "./csat.service.ts";

/** Ratings in the customer's dossier timeline (on tickets the agent may see). */
addTimelineSource({
  kind: "csat",
  build: ({ actor, contactId, keyset, limit, like, channel }) => {
    const scope = seesAllTickets(actor) ? sql`true` : (ticketScope(actor) ?? sql`true`);
    const search = like ? sql`lower(unaccent(coalesce(s.comment, ''))) like ${like}` : sql`true`;
    const byChannel = channel ? sql`s.channel = ${channel}` : sql`true`;
    return sql`(select 'csat' as kind, s.id::text as id, s.rated_at as at, s.channel::text as channel,
        s.ticket_id as ticket_id, tickets.number as ticket_number, tickets.subject as ticket_subject,
        case when s.good then 'good' else 'bad' end as type, false as internal, coalesce(s.comment, '') as text,
        jsonb_build_object('rating', s.rating, 'scale', s.scale, 'good', s.good, 'agentId', s.agent_id) as data,
        null::uuid as actor_id
      from csat_surveys s join tickets on tickets.id = s.ticket_id
      where s.contact_id = ${contactId} and s.rated_at is not null and ${scope} and ${search} and ${byChannel}
        and ${keyset(sql`s.rated_at`, "csat", sql`s.id::text`)}
      order by s.rated_at desc, s.id::text desc limit ${limit})`;
  },
});

export const csatModule: RapportModule = {
  name: "csat",
  routes: csatRoutes,
  rootRoutes: csatPageRoutes,
  jobs: {
    [SEND_SURVEY_JOB]: {
      run: async (ctx, job) => {
        const p = job.payload as { surveyId?: unknown };
        if (typeof p.surveyId === "string") await sendSurvey(ctx, p.surveyId);
      },
    },
  },
};
