-- severity: warn
-- threshold: 0
-- mask: phone
-- description: several candidates (different names) share one phone number across leads
-- hint: open the leads in Odoo; correct the phone of the candidate it does not belong to, or merge the duplicate
with

lead as (
  select * from {{ ref('ods_odoo_crm_lead') }}
  where telephone is not null and not est_test
),

shared as (
  select telephone
  from lead
  group by telephone
  -- one candidate applying to several trainings has several leads with one phone: not a duplicate
  having count(distinct {{ d.concat("coalesce(" ~ d.foldText('nom') ~ ", '')", "'|'", "coalesce(" ~ d.foldText('prenom') ~ ", '')") }}) > 1
)

select
  {{ d.cast('lead.lead_id', 'string') }} as check_key,
  lead.telephone as check_value
from lead
inner join shared
  on shared.telephone = lead.telephone
