with

question as (
  select * from {{ ref('stg_odoo_survey_question') }}
),

attributed as (
  select
    question_id,
    titre,
    -- a title matching several patterns goes to the first attribute of the mapping
    case
      {%- for attribute, pattern in questions %}
      when {{ d.regexpMatches('titre', pattern, true) }} then {{ attribute | literal }}
      {%- endfor %}
    end as attribut,
    type_question_code,
    sondage_id,
    sondage
  from question
  where est_page is not true
)

select * from attributed
where attribut is not null
