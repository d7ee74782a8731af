-- severity: warn
-- threshold: 0
-- mask: email
-- description: a lead's email is not a valid address (no @, spaces, no domain)
-- hint: correct the email on the lead in Odoo; the dashboard shows no email until then
select
  {{ d.cast('lead_id', 'string') }} as check_key,
  email_brut as check_value
from {{ ref('ods_odoo_crm_lead') }}
where email_invalide
