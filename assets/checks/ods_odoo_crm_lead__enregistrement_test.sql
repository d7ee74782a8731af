-- severity: warn
-- threshold: 0
-- mask: text
-- description: a test record is left in the CRM (name or title ending in test or essai)
-- hint: archive or delete the test lead in Odoo
select
  {{ d.cast('lead_id', 'string') }} as check_key,
  formation as check_value
from {{ ref('ods_odoo_crm_lead') }}
where est_test
