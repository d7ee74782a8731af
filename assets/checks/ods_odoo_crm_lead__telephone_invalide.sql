-- severity: warn
-- threshold: 0
-- mask: phone
-- description: a lead's phone cannot be read as a French or international number
-- hint: correct the phone on the lead in Odoo, with the country code (+44 …) when it is not French
select
  {{ d.cast('lead_id', 'string') }} as check_key,
  telephone_brut as check_value
from {{ ref('ods_odoo_crm_lead') }}
where telephone_invalide
