-- severity: warn
-- threshold: 0
-- mask: text
-- description: a lead's city matches no French commune, by name or postal code
-- hint: correct the spelling of the city in Odoo (the official commune name)
select
  {{ d.cast('lead_id', 'string') }} as check_key,
  ville_candidat_brut as check_value
from {{ ref('ods_odoo_crm_lead') }}
where ville_inconnue
