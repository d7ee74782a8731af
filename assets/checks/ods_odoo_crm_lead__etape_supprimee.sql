-- severity: warn
-- threshold: 0
-- description: a lead points to a stage that no longer exists in Odoo
-- hint: move the lead to an existing stage in Odoo (the CRM pipeline hides it meanwhile)
select
  {{ d.cast('lead_id', 'string') }} as check_key,
  {{ d.cast('etape_id', 'string') }} as check_value
from {{ ref('ods_odoo_crm_lead') }}
where etape_supprimee
