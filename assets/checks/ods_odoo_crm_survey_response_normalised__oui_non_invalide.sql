-- severity: warn
-- threshold: 0
-- mask: text
-- description: a Oui/Non answer (QPV, RSA, RQTH, France Travail) has a value outside Oui, Non and Ne sait pas
-- hint: fix the suggested answers of the question in the survey, or add the spelling to the ODS model's list
{%- set attributes = ['qpv', 'rsa', 'rqth', 'france_travail'] %}
{%- for attribute in attributes %}
select
  {{ d.concat(d.cast('reponse_sondage_id', 'string'), "' " ~ attribute ~ "'") }} as check_key,
  {{ (attribute ~ '_brut') | ident }} as check_value
from {{ ref('ods_odoo_crm_survey_response_normalised') }}
where {{ (attribute ~ '_invalide') | ident }}
{{ 'union all' if not loop.last }}
{%- endfor %}
