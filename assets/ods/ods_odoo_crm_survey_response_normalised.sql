{#- Oui/Non answers: these attributes, whatever the spelling, become Oui, Non or Ne sait pas. -#}
{% set yes_no_attributes = ['qpv', 'rsa', 'rqth', 'france_travail'] %}
{% macro yes_no(expr) -%}
case
      when {{ d.foldText(expr) }} in ('OUI', 'O', 'YES', 'Y', 'VRAI', 'TRUE', '1') then 'Oui'
      when {{ d.foldText(expr) }} in ('NON', 'N', 'NO', 'FAUX', 'FALSE', '0') then 'Non'
      when {{ d.foldText(expr) }} in ('NE SAIT PAS', 'NSP', 'JE NE SAIS PAS') then 'Ne sait pas'
    end
{%- endmacro %}

with

pivoted_answer as (
  select * from {{ ref('ods_odoo_crm_survey_response_pivot') }}
),

user_input as (
  select * from {{ ref('stg_odoo_survey_user_input') }}
),

birth_date_parts as (
  select
    pivoted_answer.*,
    -- the age is measured on the day the survey was answered, so it does not drift between runs
    {{ d.cast('user_input.date_creation', 'date') }} as date_reponse,
    -- separators become single spaces: 04/12/2004, 04.12.2004 and 04-12-2004 all read "04 12 2004"
    {{ d.foldText('pivoted_answer.date_naissance') }} as date_cle
  from pivoted_answer
  left join user_input
    on user_input.reponse_sondage_id = pivoted_answer.reponse_sondage_id
),

birth_date_fields as (
  select
    *,
    -- day first, always: 04/12/2004 is 4 December
    coalesce(
      {{ d.regexpExtract('date_cle', '^([0-9]{1,2}) [0-9]{1,2} [0-9]{2,4}$', 1) }},
      {{ d.regexpExtract('date_cle', '^[0-9]{4} [0-9]{1,2} ([0-9]{1,2})$', 1) }},
      {{ d.regexpExtract('date_cle', '^([0-9]{2})[0-9]{2}[0-9]{4}$', 1) }},
      {{ d.regexpExtract('date_cle', '^([0-9]{1,2})(ER)? [A-Z]+ [0-9]{4}$', 1) }}
    ) as jour,
    coalesce(
      {{ d.regexpExtract('date_cle', '^[0-9]{1,2} ([0-9]{1,2}) [0-9]{2,4}$', 1) }},
      {{ d.regexpExtract('date_cle', '^[0-9]{4} ([0-9]{1,2}) [0-9]{1,2}$', 1) }},
      {{ d.regexpExtract('date_cle', '^[0-9]{2}([0-9]{2})[0-9]{4}$', 1) }},
      case {{ d.regexpExtract('date_cle', '^[0-9]{1,2}(ER)? ([A-Z]+) [0-9]{4}$', 2) }}
        when 'JANVIER' then '1' when 'FEVRIER' then '2' when 'MARS' then '3' when 'AVRIL' then '4'
        when 'MAI' then '5' when 'JUIN' then '6' when 'JUILLET' then '7' when 'AOUT' then '8'
        when 'SEPTEMBRE' then '9' when 'OCTOBRE' then '10' when 'NOVEMBRE' then '11' when 'DECEMBRE' then '12'
      end
    ) as mois,
    coalesce(
      {{ d.regexpExtract('date_cle', '^[0-9]{1,2} [0-9]{1,2} ([0-9]{4})$', 1) }},
      {{ d.regexpExtract('date_cle', '^([0-9]{4}) [0-9]{1,2} [0-9]{1,2}$', 1) }},
      {{ d.regexpExtract('date_cle', '^[0-9]{4}([0-9]{4})$', 1) }},
      {{ d.regexpExtract('date_cle', '^[0-9]{1,2}(ER)? [A-Z]+ ([0-9]{4})$', 2) }},
      -- a two-digit year means the latest year with those digits that is not after the survey date
      {{ d.cast(
        "case when 2000 + " ~ d.safeCast(d.regexpExtract('date_cle', '^[0-9]{1,2} [0-9]{1,2} ([0-9]{2})$', 1), 'int64') ~
        " <= extract(year from date_reponse) then 2000 else 1900 end + " ~
        d.safeCast(d.regexpExtract('date_cle', '^[0-9]{1,2} [0-9]{1,2} ([0-9]{2})$', 1), 'int64'),
        'string'
      ) }}
    ) as annee
  from birth_date_parts
),

birth_date as (
  select
    *,
    -- an impossible date such as 31/02/2004 gives NULL
    {{ d.safeCast(d.concat('annee', "'-'", "lpad(mois, 2, '0')", "'-'", "lpad(jour, 2, '0')"), 'date') }} as date_naissance_valide
  from birth_date_fields
),

normalised as (
  select
    reponse_sondage_id,
    {%- for attribute in yes_no_attributes %}
    {{ yes_no(attribute) }} as {{ attribute | ident }},
    {{ attribute | ident }} as {{ (attribute ~ '_brut') | ident }},
    {%- endfor %}
    nationalite,
    contrat_alternance,
    mobilite,
    date_naissance_valide as date_naissance,
    date_naissance as date_naissance_brut,
    -- whole years lived on the answer day (365.25 days a year)
    {{ d.cast('floor(' ~ d.dateDiffDays('date_naissance_valide', 'date_reponse') ~ ' / 365.25)', 'int64') }} as age,
    -- quality flags: true when the answer could not be normalised ------------
    {%- for attribute in yes_no_attributes %}
    {{ attribute | ident }} is not null and {{ yes_no(attribute) }} is null as {{ (attribute ~ '_invalide') | ident }},
    {%- endfor %}
    date_naissance is not null and date_naissance_valide is null as date_naissance_invalide,
    -- apprentices start at 15; past 70 the value is a typing error far more often than a candidate
    coalesce(floor({{ d.dateDiffDays('date_naissance_valide', 'date_reponse') }} / 365.25) not between 15 and 70, false)
      as age_invraisemblable
  from birth_date
)

select * from normalised
