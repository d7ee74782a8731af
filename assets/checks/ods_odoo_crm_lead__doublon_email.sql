-- severity: warn
-- threshold: 0
-- mask: email
-- description: several candidates (different names) share one email across leads
-- hint: open the leads in Odoo; give each candidate their own email or merge the duplicate candidate
with

lead as (
  select * from {{ ref('ods_odoo_crm_lead') }}
  where email is not null and not est_test
),

shared as (
  select email
  from lead
  group by email
  -- one candidate applying to several trainings has several leads with one email: not a duplicate
  having count(distinct {{ d.concat("coalesce(" ~ d.foldText('nom') ~ ", '')", "'|'", "coalesce(" ~ d.foldText('prenom') ~ ", '')") }}) > 1
)

select
  {{ d.cast('lead.lead_id', 'string') }} as check_key,
  lead.email as check_value
from lead
inner join shared
  on shared.email = lead.email
