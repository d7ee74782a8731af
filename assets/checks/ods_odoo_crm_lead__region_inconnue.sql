-- severity: warn
-- threshold: 0
-- description: a lead's region is neither an official region nor an alias the city settles
-- hint: pick an official region on the lead, or add the abbreviation to config/region-aliases.csv
select
  {{ d.cast('lead_id', 'string') }} as check_key,
  region_candidat_brut as check_value
from {{ ref('ods_odoo_crm_lead') }}
where region_inconnue
