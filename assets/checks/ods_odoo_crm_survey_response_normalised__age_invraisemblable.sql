-- severity: warn
-- threshold: 0
-- mask: text
-- description: a date of birth gives an age under 15 or over 70 on the day the survey was answered
-- hint: check the year typed in the survey response (a swapped or two-digit year is the usual cause)
select
  {{ d.cast('reponse_sondage_id', 'string') }} as check_key,
  date_naissance_brut as check_value
from {{ ref('ods_odoo_crm_survey_response_normalised') }}
where age_invraisemblable
