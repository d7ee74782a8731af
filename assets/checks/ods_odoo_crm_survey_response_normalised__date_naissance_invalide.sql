-- severity: warn
-- threshold: 0
-- mask: text
-- description: a date of birth answer is no date in a known format, or an impossible date
-- hint: correct the answer in the survey response (Surveys > Participations) as DD/MM/YYYY
select
  {{ d.cast('reponse_sondage_id', 'string') }} as check_key,
  date_naissance_brut as check_value
from {{ ref('ods_odoo_crm_survey_response_normalised') }}
where date_naissance_invalide
