-- severity: warn
-- threshold: 0
-- mask: text
-- description: a lead's city field holds a postal code (resolved to its commune when the code exists)
-- hint: type the city name in the City field of the lead and the code in the postal code field
select
  {{ d.cast('lead_id', 'string') }} as check_key,
  ville_candidat_brut as check_value
from {{ ref('ods_odoo_crm_lead') }}
where ville_est_code_postal
