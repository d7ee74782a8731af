with

answer_line as (
  select * from {{ ref('stg_odoo_survey_user_input_line') }}
),

question as (
  select * from {{ ref('ods_odoo_crm_survey_question_filtered') }}
),

suggestion as (
  select * from {{ ref('stg_odoo_survey_question_answer') }}
),

attribute_answer as (
  select
    answer_line.reponse_sondage_id,
    question.attribut,
    case
      when answer_line.type_reponse_code = 'suggestion' then suggestion.valeur
      else answer_line.reponse
    end as valeur
  from answer_line
  inner join question
    on question.question_id = answer_line.question_id
  left join suggestion
    on suggestion.suggestion_id = answer_line.suggestion_id
  where answer_line.est_ignoree is not true
),

pivoted as (
  select
    reponse_sondage_id,
    {%- for attribute, pattern in questions %}
    {{ d.stringAggDistinct('case when attribut = ' ~ (attribute | literal) ~ ' then valeur end', ', ') }}
      as {{ attribute | ident }}{{ ',' if not loop.last }}
    {%- endfor %}
  from attribute_answer
  group by reponse_sondage_id
)

select * from pivoted
