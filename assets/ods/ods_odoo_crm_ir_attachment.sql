with

attachment as (
  select * from {{ ref('stg_odoo_ir_attachment') }}
),

lead_cv as (
  select * from attachment
  where res_model = 'crm.lead'
    and lead_id is not null
    and {{ d.regexpMatches('nom_piece_jointe', cv_pattern, true) }}
),

ranked as (
  select
    *,
    -- a candidate who sends a new CV keeps the old one in Odoo: the newest is the one to show
    row_number() over (
      partition by lead_id
      order by date_creation desc nulls last, attachment_id desc
    ) as cv_rank
  from lead_cv
),

latest_cv as (
  select * from ranked
  where cv_rank = 1
),

linked as (
  select
    lead_id,
    attachment_id,
    nom_piece_jointe,
    type_piece_jointe_code,
    case
      -- only web addresses become links: a `javascript:` or `file:` URL typed in Odoo is dropped
      when type_piece_jointe_code = 'url' and {{ d.regexpMatches('url', '^https?://', true) }} then url
      when type_piece_jointe_code = 'url' then null
      else {{ d.concat(odoo_url | literal, "'/web/content/'", d.cast('attachment_id', 'string'), "'?download=true'") }}
    end as lien_cv,
    date_creation
  from latest_cv
)

select * from linked
